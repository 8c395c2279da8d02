/**
 * Masked 2-D convolutions of PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks",
 * §3.4): the kernel is multiplied by a fixed 0/1 mask so that output pixel (i, j) reads only pixels
 * before it in raster order — type 'A' (first layer) excludes the centre pixel, type 'B' includes it.
 */
import { add, constant, conv2d, mul, param, reshape } from '../engine/ops.js';
import type { Parameter } from '../engine/parameter.js';
import type { Tensor } from '../engine/tensor.js';
import { lecunUniform, uniformInit } from './init.js';
import type { ParameterStore } from './store.js';

/** PixelCNN mask type: 'A' hides the centre pixel (first layer), 'B' lets it through (later layers). */
export type MaskType = 'A' | 'B';

/**
 * The k×k raster-order mask, row-major: M[r, c] = 1 when r < ⌊k/2⌋, or r = ⌊k/2⌋ and c < ⌊k/2⌋
 * (type A) / c ≤ ⌊k/2⌋ (type B); 0 otherwise (van den Oord et al. 2016, Figure 2).
 */
export function pixelCnnMask(kernel: number, type: MaskType): Float64Array {
  if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0)
    throw new Error(`pixelCnnMask: kernel must be an odd positive integer, got ${kernel}`);
  const c = (kernel - 1) / 2;
  const m = new Float64Array(kernel * kernel);
  for (let r = 0; r < kernel; r++) {
    for (let col = 0; col < kernel; col++) m[r * kernel + col] = r < c || (r === c && (type === 'A' ? col < c : col <= c)) ? 1 : 0;
  }
  return m;
}

/**
 * y = conv2d(x, W ⊙ M) + b with "same" padding, W [Cout, Cin, k, k], M the {@link pixelCnnMask}
 * broadcast over channels: every output channel of pixel i reads all input channels of pixels < i
 * (and of pixel i itself for type B). Channels within a pixel are not ordered among themselves.
 */
export class MaskedConv2d {
  readonly weight: Parameter;
  readonly bias: Parameter;
  private readonly mask: Tensor;

  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    outChannels: number,
    readonly kernel: number,
    readonly type: MaskType,
  ) {
    this.mask = constant(pixelCnnMask(kernel, type), [1, 1, kernel, kernel]);
    this.weight = store.create(`${name}.weight`, [outChannels, inChannels, kernel, kernel], lecunUniform);
    // PyTorch's default bias bound 1/√fan_in, with the fan-in the mask leaves.
    const fanIn =
      inChannels *
      Math.max(
        1,
        pixelCnnMask(kernel, type).reduce((a, b) => a + b, 0),
      );
    this.bias = store.create(`${name}.bias`, [outChannels], uniformInit(-1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  }

  /** x [N, Cin, H, W] → [N, Cout, H, W]. */
  apply(x: Tensor): Tensor {
    const pad = (this.kernel - 1) / 2;
    const y = conv2d(x, mul(param(this.weight), this.mask), { padding: pad });
    return add(y, reshape(param(this.bias), [this.bias.shape[0], 1, 1]));
  }
}
