/** A multilayer perceptron: Linear layers with an activation between them (none after the last). */
import type { Tensor } from '../engine/tensor.js';
import { activation, type ActivationName } from './activation.js';
import type { Initializer } from './init.js';
import { Linear } from './linear.js';
import type { ParameterStore } from './store.js';

export class MLP {
  readonly layers: Linear[];
  private readonly act: (x: Tensor) => Tensor;

  /**
   * @param widths [in, hidden..., out]; e.g. [784, 512, 512, 64].
   * @param act activation after every layer but the last.
   * @param init weight initialiser of every layer (default: Linear's, PyTorch's).
   */
  constructor(store: ParameterStore, name: string, widths: readonly number[], act: ActivationName = 'relu', init?: Initializer) {
    if (widths.length < 2) throw new Error(`MLP ${name}: needs at least input and output widths, got [${widths}]`);
    this.layers = widths.slice(1).map((w, i) => new Linear(store, `${name}.${i}`, widths[i], w, { init }));
    this.act = activation(act);
  }

  apply(x: Tensor): Tensor {
    return this.layers.reduce((h, layer, i) => {
      const y = layer.apply(h);
      return i < this.layers.length - 1 ? this.act(y) : y;
    }, x);
  }
}
