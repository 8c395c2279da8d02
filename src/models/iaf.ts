/**
 * Inverse autoregressive flow on the posterior (Kingma et al. 2016; seed 002, VLAE/IAF slides):
 * z_t = σ_t ⊙ z_{t−1} + (1 − σ_t) ⊙ m_t, [m_t, s_t] = MADE_t(z_{t−1}, h), σ_t = sigmoid(s_t), h the
 * encoder's context, and log q(z_T|x) = log q(z_0|x) − Σ_t Σ_i log σ_{t,i}. The variable order is
 * reversed between steps.
 */
import { add, constant, div, gather, mul, sigmoid, split, sub, sum } from '../engine/ops.js';
import { logSigmoid } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { ActivationName } from '../nn/activation.js';
import { MADE } from '../nn/made.js';
import type { ParameterStore } from '../nn/store.js';
import { registerFlow, type PosteriorFlow } from './parts.js';

export class IAF implements PosteriorFlow {
  readonly steps: MADE[];

  /**
   * @param contextSize size of the encoder's context h each step reads (0: none).
   */
  constructor(
    store: ParameterStore,
    name: string,
    readonly d: number,
    steps: number,
    hidden: readonly number[],
    act: ActivationName = 'relu',
    readonly contextSize = 0,
  ) {
    // Gate bias +1 starts σ ≈ 0.73, close to the identity map (Kingma et al. 2016, §4 "forget gate bias").
    this.steps = Array.from({ length: steps }, (_, t) => new MADE(store, `${name}.${t}`, d, hidden, 2, act, [0, 1], contextSize));
  }

  /** One step on z [..., d] in its own variable order: returns z_t and log σ_{t,i} per variable [..., d]. */
  step(t: number, z: Tensor, context?: Tensor): { z: Tensor; logSigma: Tensor } {
    const [m, s] = split(this.steps[t].apply(z, context), [this.d, this.d], -1);
    const sigma = sigmoid(s);
    return { z: add(mul(sigma, z), mul(sub(1, sigma), m)), logSigma: logSigmoid(s) };
  }

  /** Puts a per-variable tensor [..., d] in z_0's order into z_T's order (the reversals between steps). */
  align(perVariable: Tensor): Tensor {
    return this.steps.length % 2 === 0 ? gather(perVariable, this.reverse(), perVariable.rank - 1) : perVariable;
  }

  private reverse(): Tensor {
    return constant(
      Array.from({ length: this.d }, (_, i) => this.d - 1 - i),
      [this.d],
      'int64',
    );
  }

  /**
   * z_0 = f⁻¹(z_T) (same context h): per step, from the last, x = (y − (1 − σ(x)) ⊙ m(x)) / σ(x) solved by
   * d Gauss–Seidel passes from x = y (pass k fixes variable k, since σ_i and m_i read x_<i only).
   * ELBO surgery needs it: log q(z_T|x_n) at a z_T drawn for another x_m (eval/flowSurgery.ts).
   */
  inverse(zT: Tensor, context?: Tensor): Tensor {
    const reverse = this.reverse();
    let y = zT;
    for (let t = this.steps.length - 1; t >= 0; t--) {
      let x = y;
      for (let k = 0; k < this.d; k++) {
        const [m, s] = split(this.steps[t].apply(x, context), [this.d, this.d], -1);
        const sigma = sigmoid(s);
        x = div(sub(y, mul(sub(1, sigma), m)), sigma);
      }
      y = t > 0 ? gather(x, reverse, x.rank - 1) : x;
    }
    return y;
  }

  /**
   * z_0 [..., d] (and context h) → z_T, log|det ∂z_T/∂z_0| = Σ_t Σ_i log σ_{t,i} [...], and its share per
   * variable of z_T, `logDetPerVariable` [..., d] (each log σ_{t,i} followed through the reversals).
   */
  forward(z0: Tensor, context?: Tensor): { z: Tensor; logDet: Tensor; logDetPerVariable: Tensor } {
    if (this.steps.length === 0) throw new Error('IAF: needs at least one step');
    const reverse = this.reverse();
    let z = z0;
    let perVariable: Tensor | null = null;
    for (let t = 0; t < this.steps.length; t++) {
      if (t > 0) {
        z = gather(z, reverse, z.rank - 1);
        perVariable = gather(perVariable!, reverse, perVariable!.rank - 1);
      }
      const r = this.step(t, z, context);
      z = r.z;
      perVariable = perVariable ? add(perVariable, r.logSigma) : r.logSigma;
    }
    return { z, logDet: sum(perVariable!, -1), logDetPerVariable: perVariable! };
  }
}

registerFlow('iaf', (c) => new IAF(c.store, c.name, c.latent, c.config.flowSteps, c.config.flowHidden, 'relu', c.contextSize));
