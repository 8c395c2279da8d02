/**
 * Gated PixelCNN blocks (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN
 * Decoders", §2.2): a vertical stack that sees every pixel in the rows above and a horizontal stack
 * that sees the pixels to the left in the current row, so the receptive field has no blind spot.
 *
 * The masks are realised as cropped kernels with one-sided padding rather than k×k kernels multiplied
 * by a mask ({@link MaskedConv2d}): the same function, without computing the half of the products the
 * mask would zero. Vertical: a (⌊k/2⌋+1)×k kernel padded ⌊k/2⌋ above, so row i reads rows ≤ i; its
 * features reach the horizontal stack shifted down one row (rows < i). Horizontal: a 1×(⌊k/2⌋+1)
 * kernel padded on the left (columns ≤ j), its input shifted right one column in the first block (type A).
 */
import { add, concat, conv2d, matmul, mul, pad, param, reshape, sigmoid, slice, split, tanh, transpose } from '../engine/ops.js';
import type { Parameter } from '../engine/parameter.js';
import type { Tensor } from '../engine/tensor.js';
import { lecunUniform, uniformInit } from './init.js';
import type { ParameterStore } from './store.js';

/** A convolution with a kh×kw kernel, [top, left, bottom, right] zero padding and a bias per channel. */
export class PaddedConv2d {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    outChannels: number,
    readonly kernel: [number, number],
    readonly padding: [number, number, number, number] = [0, 0, 0, 0],
  ) {
    this.weight = store.create(`${name}.weight`, [outChannels, inChannels, kernel[0], kernel[1]], lecunUniform);
    const bound = 1 / Math.sqrt(inChannels * kernel[0] * kernel[1]);
    this.bias = store.create(`${name}.bias`, [outChannels], uniformInit(-bound, bound));
  }

  /**
   * x [N, Cin, H, W] → [N, Cout, H', W']. Kernels of one row (the horizontal stack's 1×(⌊k/2⌋+1), the 1×1
   * links) run as a matmul over their taps ({@link byTaps}), the same function: the conv2d form's weight
   * gradient is a convolution with an H×W kernel, several times slower on onnxruntime than the batched
   * matmul that replaces it (bench/pixelcnn-profile.ts); the taller vertical kernels stay conv2d (their
   * im2col copies cost more than they save).
   */
  apply(x: Tensor): Tensor {
    const [cout, , kh] = this.weight.shape;
    if (kh === 1) return this.byTaps(x);
    const y = conv2d(x, param(this.weight), { padding: this.padding });
    return add(y, reshape(param(this.bias), [cout, 1, 1]));
  }

  /**
   * The convolution as W [Cout, kh·kw·Cin] · X [N, kh·kw·Cin, H'·W'], X the kh·kw shifted views of the
   * padded input stacked along channels (tap-major, matching W's [Cout, kh, kw, Cin] order); a 1×1 kernel
   * without padding is W · x directly.
   */
  private byTaps(x: Tensor): Tensor {
    const [cout, cin, kh, kw] = this.weight.shape;
    const [n, , h, w] = x.shape;
    const [top, left, bottom, right] = this.padding;
    const oh = h + top + bottom - kh + 1;
    const ow = w + left + right - kw + 1;
    let cols: Tensor;
    if (kh * kw === 1 && top + left + bottom + right === 0) cols = reshape(x, [n, cin, h * w]);
    else {
      const padded = pad(x, [0, 0, top, left], [0, 0, bottom, right]);
      const taps: Tensor[] = [];
      for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) taps.push(slice(slice(padded, 2, p, p + oh), 3, q, q + ow));
      cols = reshape(concat(taps, 1), [n, kh * kw * cin, oh * ow]);
    }
    const wt = reshape(transpose(param(this.weight), [0, 2, 3, 1]), [cout, kh * kw * cin]);
    return reshape(add(matmul(wt, cols), reshape(param(this.bias), [cout, 1])), [n, cout, oh, ow]);
  }
}

/** x [N, C, H, W] moved down one row (row 0 becomes zeros, the last row is dropped). */
export function shiftDown(x: Tensor): Tensor {
  return slice(pad(x, [0, 0, 1, 0], [0, 0, 0, 0]), 2, 0, x.shape[2]);
}

/** x [N, C, H, W] moved right one column (column 0 becomes zeros, the last column is dropped). */
export function shiftRight(x: Tensor): Tensor {
  return slice(pad(x, [0, 0, 0, 1], [0, 0, 0, 0]), 3, 0, x.shape[3]);
}

/** The gated activation tanh(a) ⊙ σ(b) of [a, b] split along channels (van den Oord et al. 2016, eq. 2). */
export function gatedActivation(x: Tensor): Tensor {
  const c = x.shape[1] / 2;
  const [a, b] = split(x, [c, c], 1);
  return mul(tanh(a), sigmoid(b));
}

/** The two stacks' feature maps between blocks, [N, C, H, W] each. */
export interface PixelStacks {
  vertical: Tensor;
  horizontal: Tensor;
}

/** Options of a {@link GatedPixelCnnBlock}. */
export interface GatedBlockOptions {
  /** Odd kernel size k. */
  kernel: number;
  /** True for the first block: its horizontal stack hides the current pixel (mask type A) and has no residual. */
  first: boolean;
  /** Channels of the conditioning map h(z) added in the block (0: unconditional). */
  condChannels?: number;
}

/**
 * One gated block: v' = tanh(W_v∗v + V_v h) ⊙ σ(·), h' = h + W_1×1 [tanh(W_h∗h + W_vh shift(W_v∗v) + V_h h) ⊙ σ(·)]
 * (van den Oord et al. 2016, eq. 4 with the vertical-to-horizontal link of Figure 2; h the conditioning map).
 */
export class GatedPixelCnnBlock {
  readonly vConv: PaddedConv2d;
  readonly hConv: PaddedConv2d;
  readonly vToH: PaddedConv2d;
  readonly hOut: PaddedConv2d;
  readonly condV: PaddedConv2d | null;
  readonly condH: PaddedConv2d | null;

  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    readonly channels: number,
    readonly opts: GatedBlockOptions,
  ) {
    const k = opts.kernel;
    if (!Number.isInteger(k) || k < 1 || k % 2 === 0)
      throw new Error(`GatedPixelCnnBlock: kernel must be an odd positive integer, got ${k}`);
    const c = (k - 1) / 2;
    const C2 = 2 * channels;
    this.vConv = new PaddedConv2d(store, `${name}.v`, inChannels, C2, [c + 1, k], [c, c, 0, c]);
    this.hConv = new PaddedConv2d(store, `${name}.h`, inChannels, C2, [1, c + 1], [0, c, 0, 0]);
    this.vToH = new PaddedConv2d(store, `${name}.vh`, C2, C2, [1, 1]);
    this.hOut = new PaddedConv2d(store, `${name}.hout`, channels, channels, [1, 1]);
    const cc = opts.condChannels ?? 0;
    this.condV = cc > 0 ? new PaddedConv2d(store, `${name}.cv`, cc, C2, [1, 1]) : null;
    this.condH = cc > 0 ? new PaddedConv2d(store, `${name}.ch`, cc, C2, [1, 1]) : null;
  }

  /** Stacks [N, Cin, H, W] (both the image itself in the first block) and conditioning [N, Cc, H, W] → stacks [N, C, H, W]. */
  apply(s: PixelStacks, cond: Tensor | null = null): PixelStacks {
    const { vertical, link } = this.verticalPart(s.vertical, cond);
    return { vertical, horizontal: this.horizontalPart(s.horizontal, link, cond) };
  }

  /**
   * The vertical stack v' and its link W_vh shift(W_v∗v) into the horizontal stack, [N, 2C, H, W]: row i of
   * the link reads rows < i of v, so a sampler computes it for a row before drawing any pixel of that row.
   */
  verticalPart(v: Tensor, cond: Tensor | null = null): { vertical: Tensor; link: Tensor } {
    const vPre = this.vConv.apply(v);
    return { vertical: gatedActivation(withCond(vPre, this.condV, cond)), link: this.vToH.apply(shiftDown(vPre)) };
  }

  /** The horizontal stack h' from h [N, Cin, H, W], the vertical link and the conditioning; rows are independent. */
  horizontalPart(h: Tensor, link: Tensor, cond: Tensor | null = null): Tensor {
    const hIn = this.opts.first ? shiftRight(h) : h;
    const hNew = this.hOut.apply(gatedActivation(withCond(add(this.hConv.apply(hIn), link), this.condH, cond)));
    return this.opts.first ? hNew : add(h, hNew);
  }
}

/** t + layer(cond), or t without conditioning. */
const withCond = (t: Tensor, layer: PaddedConv2d | null, cond: Tensor | null): Tensor => (layer && cond ? add(t, layer.apply(cond)) : t);

/**
 * How far output pixel (i, j) of `layers` blocks with kernel k reads back: rows i−up..i−1 (columns
 * j−side..j+side) and, in row i, columns j−left..j−1; with c = ⌊k/2⌋, up = left = L·c + 1, side = L·c.
 */
export function gatedReceptiveField(layers: number, kernel: number): { up: number; left: number; side: number } {
  const c = (kernel - 1) / 2;
  return { up: layers * c + 1, left: layers * c + 1, side: layers * c };
}
