/**
 * Inverse autoregressive flow on the posterior (Kingma et al. 2016; seed 002, VLAE/IAF slides):
 * z_t = σ_t ⊙ z_{t−1} + (1 − σ_t) ⊙ m_t, [m_t, s_t] = MADE_t(z_{t−1}), σ_t = sigmoid(s_t), and
 * log q(z_T|x) = log q(z_0|x) − Σ_t Σ_i log σ_{t,i}. The variable order is reversed between steps.
 */
import { add, constant, gather, mul, sigmoid, split, sub, sum } from '../engine/ops.js';
import { logSigmoid } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { ActivationName } from '../nn/activation.js';
import { MADE } from '../nn/made.js';
import type { ParameterStore } from '../nn/store.js';

export class IAF {
  readonly steps: MADE[];

  constructor(store: ParameterStore, name: string, readonly d: number, steps: number, hidden: readonly number[], act: ActivationName = 'relu') {
    // Gate bias +1 starts σ ≈ 0.73, close to the identity map (Kingma et al. 2016, §4 "forget gate bias").
    this.steps = Array.from({ length: steps }, (_, t) => new MADE(store, `${name}.${t}`, d, hidden, 2, act, [0, 1]));
  }

  /** One step on z [..., d] in its own variable order: returns z_t and Σ_i log σ_{t,i} [...]. */
  step(t: number, z: Tensor): { z: Tensor; logDet: Tensor } {
    const [m, s] = split(this.steps[t].apply(z), [this.d, this.d], -1);
    const sigma = sigmoid(s);
    return { z: add(mul(sigma, z), mul(sub(1, sigma), m)), logDet: sum(logSigmoid(s), -1) };
  }

  /** z_0 [..., d] → z_T and log|det ∂z_T/∂z_0| = Σ_t Σ_i log σ_{t,i}, [...]. */
  forward(z0: Tensor): { z: Tensor; logDet: Tensor } {
    const reverse = constant(Array.from({ length: this.d }, (_, i) => this.d - 1 - i), [this.d], 'int64');
    let z = z0;
    let logDet: Tensor | null = null;
    for (let t = 0; t < this.steps.length; t++) {
      if (t > 0) z = gather(z, reverse, z.rank - 1);
      const r = this.step(t, z);
      z = r.z;
      logDet = logDet ? add(logDet, r.logDet) : r.logDet;
    }
    if (!logDet) throw new Error('IAF: needs at least one step');
    return { z, logDet };
  }
}
