/**
 * The autoregressive flow prior (AF prior) of VLAE (Chen et al. 2017, §2.2; seed 002, "autoregressive
 * priors"): a masked autoregressive flow (Papamakarios et al. 2017) maps z to ε ~ N(0, I), step by step,
 *   ε_i = (z_i − m_i(z_<i)) · exp(−s_i(z_<i)),   [m, ŝ] = MADE(z),  s = S·tanh(ŝ/S),
 * with the variable order reversed between steps, so that by change of variables
 *   log p(z) = log N(f(z); 0, I) − Σ_t Σ_i s_{t,i}          (one pass, exact).
 * Sampling inverts it: z_i = ε_i · exp(s_i(z_<i)) + m_i(z_<i), d passes per step (pass k fixes z_k).
 * The MADE blocks are the IAF's (nn/made.ts); the IAF posterior is the same map run the other way.
 * The log-scale is soft-bounded to |s| < S = 3 (as RealNVP/Glow bound theirs with tanh): with an unbounded
 * s the inverse compounds exp(s) over d coordinates and steps and overflows float32 early in training.
 */
import { add, constant, exp, gather, mul, neg, split, sub, sum, tanh, zeros } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { standardNormalLogDensity } from '../distributions/normal.js';
import type { ActivationName } from '../nn/activation.js';
import { MADE } from '../nn/made.js';
import type { ParameterStore } from '../nn/store.js';
import { noiseInput, type Prior } from './priors.js';
import { registerPrior } from './parts.js';
import type { NoiseSpec } from './types.js';

/** S, the bound on each step's log-scale |s_i|. */
const MAX_LOG_SCALE = 3;

/** The flow z ↦ ε of the AF prior and its inverse. */
export class AutoregressiveFlowPrior implements Prior {
  readonly steps: MADE[];
  readonly componentNoise: NoiseSpec[] = [];

  constructor(
    store: ParameterStore,
    readonly d: number,
    steps: number,
    hidden: readonly number[],
    act: ActivationName = 'relu',
    readonly prefix = 'prior',
  ) {
    if (steps < 1) throw new Error(`AF prior: expected at least one flow step, got ${steps}`);
    this.steps = Array.from({ length: steps }, (_, t) => new MADE(store, `${prefix}.flow.${t}`, d, hidden, 2, act));
  }

  private reverse(z: Tensor): Tensor {
    return gather(
      z,
      constant(
        Array.from({ length: this.d }, (_, i) => this.d - 1 - i),
        [this.d],
        'int64',
      ),
      z.rank - 1,
    );
  }

  /** m and s = S·tanh(ŝ/S) of step t at z [..., d]. */
  private shiftAndLogScale(t: number, z: Tensor): [Tensor, Tensor] {
    const [m, s] = split(this.steps[t].apply(z), [this.d, this.d], -1);
    return [m, mul(tanh(mul(s, 1 / MAX_LOG_SCALE)), MAX_LOG_SCALE)];
  }

  /** ε = f(z) [..., d] and log|det ∂ε/∂z| = −Σ_t Σ_i s_{t,i} [...]. */
  forward(z: Tensor): { eps: Tensor; logDet: Tensor } {
    let y = z;
    let logDet: Tensor | null = null;
    for (let t = 0; t < this.steps.length; t++) {
      if (t > 0) y = this.reverse(y);
      const [m, s] = this.shiftAndLogScale(t, y);
      y = mul(sub(y, m), exp(neg(s)));
      const ld = neg(sum(s, -1));
      logDet = logDet ? add(logDet, ld) : ld;
    }
    return { eps: y, logDet: logDet! };
  }

  /** z = f⁻¹(ε): per step, d Gauss–Seidel passes x ← ε ⊙ exp(s(x)) + m(x) from x = 0, exact after pass d. */
  inverse(eps: Tensor): Tensor {
    let y = eps;
    for (let t = this.steps.length - 1; t >= 0; t--) {
      let x: Tensor = zeros(y.shape);
      for (let k = 0; k < this.d; k++) {
        const [m, s] = this.shiftAndLogScale(t, x);
        x = add(mul(y, exp(s)), m);
      }
      y = t > 0 ? this.reverse(x) : x;
    }
    return y;
  }

  /** log p(z) = log N(f(z); 0, I) + log|det ∂f/∂z|, z [..., d] → [...]. */
  logProb(z: Tensor): Tensor {
    const { eps, logDet } = this.forward(z);
    return add(sum(standardNormalLogDensity(eps), -1), logDet);
  }

  /** No closed form: the KL is estimated by Monte Carlo. */
  klPerLatent(): null {
    return null;
  }

  noise(n: number): NoiseSpec[] {
    return [{ name: `${this.prefix}.eps`, shape: [n, this.d] }];
  }

  /** z = f⁻¹(ε), ε ~ N(0, I) fed in. */
  sample(noise: Record<string, Tensor>, n: number): Tensor {
    return this.inverse(noiseInput(noise, this.noise(n)[0]));
  }
}

registerPrior('af', (c) => new AutoregressiveFlowPrior(c.store, c.latent, c.config.priorFlowSteps, c.config.priorFlowHidden));
