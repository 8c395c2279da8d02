/** Convolution layers over NCHW tensors, with a bias per output channel. */
import { add, conv2d, convTranspose2d, param, reshape } from '../engine/ops.js';
import type { Parameter } from '../engine/parameter.js';
import type { Tensor } from '../engine/tensor.js';
import { lecunUniform, uniformInit, type Initializer } from './init.js';
import type { ParameterStore } from './store.js';

/** Kernel, stride and padding of a square convolution. */
export interface ConvShape {
  kernel: number;
  stride?: number;
  padding?: number;
}

/** PyTorch's default bias: uniform ±1/√fan_in. */
const biasInit = (fanIn: number): Initializer => uniformInit(-1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));

/** y = conv2d(x, W) + b, W [Cout, Cin, k, k]; x [N, Cin, H, W] → [N, Cout, H', W']. */
export class Conv2d {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    outChannels: number,
    readonly shape: ConvShape,
  ) {
    const k = shape.kernel;
    this.weight = store.create(`${name}.weight`, [outChannels, inChannels, k, k], lecunUniform);
    this.bias = store.create(`${name}.bias`, [outChannels], biasInit(inChannels * k * k));
  }

  apply(x: Tensor): Tensor {
    const y = conv2d(x, param(this.weight), { stride: this.shape.stride ?? 1, padding: this.shape.padding ?? 0 });
    return add(y, reshape(param(this.bias), [this.bias.shape[0], 1, 1]));
  }
}

/** y = convTranspose2d(x, W) + b, W [Cin, Cout, k, k]: the upsampling mirror of {@link Conv2d}. */
export class ConvTranspose2d {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    outChannels: number,
    readonly shape: ConvShape,
  ) {
    const k = shape.kernel;
    // Fan-in of a transposed convolution is Cin·k²/stride² on average; PyTorch uses Cout·k² here, as we do.
    const init: Initializer = (s, r) => lecunUniform([s[1], s[0], s[2], s[3]], r);
    this.weight = store.create(`${name}.weight`, [inChannels, outChannels, k, k], init);
    this.bias = store.create(`${name}.bias`, [outChannels], biasInit(outChannels * k * k));
  }

  apply(x: Tensor): Tensor {
    const y = convTranspose2d(x, param(this.weight), { stride: this.shape.stride ?? 1, padding: this.shape.padding ?? 0 });
    return add(y, reshape(param(this.bias), [this.bias.shape[0], 1, 1]));
  }
}
