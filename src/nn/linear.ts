/** A dense layer y = x W + b with W stored [in, out], so the forward pass needs no transpose. */
import { add, matmul, param } from '../engine/ops.js';
import type { Parameter } from '../engine/parameter.js';
import type { Tensor } from '../engine/tensor.js';
import { lecunUniform, uniformInit, zerosInit, type Initializer } from './init.js';
import type { ParameterStore } from './store.js';

export class Linear {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  /**
   * @param name prefix of the parameter names (`${name}.weight`, `${name}.bias`).
   * @param init weight initialiser; default PyTorch's (uniform ±1/√in), so results compare with it.
   */
  constructor(
    store: ParameterStore,
    readonly name: string,
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: { bias?: boolean; init?: Initializer; biasInit?: Initializer } = {},
  ) {
    this.weight = store.create(`${name}.weight`, [inFeatures, outFeatures], opts.init ?? lecunUniform);
    // PyTorch's default bias: uniform ±1/√in (with a custom weight init, zeros).
    const bound = 1 / Math.sqrt(inFeatures);
    const biasInit = opts.biasInit ?? (opts.init ? zerosInit : uniformInit(-bound, bound));
    this.bias = opts.bias === false ? null : store.create(`${name}.bias`, [outFeatures], biasInit);
  }

  /** x [..., in] → [..., out]. */
  apply(x: Tensor): Tensor {
    const y = matmul(x, param(this.weight));
    return this.bias ? add(y, param(this.bias)) : y;
  }
}
