/** The gated dense layer of the VampPrior paper (Tomczak & Welling 2018, after Dauphin et al. 2017). */
import { mul, sigmoid } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { Initializer } from './init.js';
import { Linear } from './linear.js';
import type { ParameterStore } from './store.js';

/** h = (xW + b) ⊙ σ(xV + c) (Tomczak & Welling 2018, "VAE with a VampPrior", eq. for GatedDense). */
export class GatedDense {
  readonly value: Linear;
  readonly gate: Linear;

  constructor(store: ParameterStore, name: string, inFeatures: number, outFeatures: number, init?: Initializer) {
    this.value = new Linear(store, `${name}.h`, inFeatures, outFeatures, { init });
    this.gate = new Linear(store, `${name}.g`, inFeatures, outFeatures, { init });
  }

  /** x [..., in] → [..., out]. */
  apply(x: Tensor): Tensor {
    return mul(this.value.apply(x), sigmoid(this.gate.apply(x)));
  }
}
