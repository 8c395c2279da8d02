/**
 * Convolutions on onnxruntime's blocked-channel kernels. onnxruntime-node on x86 carries direct
 * convolution kernels for the NCHWc layout (channels in blocks of 8 with AVX2, 16 with AVX-512:
 * `com.microsoft.nchwc` Conv, ReorderInput, ReorderOutput). Its own graph optimiser uses them only
 * for convolutions whose weights are constants, which a training graph's never are; this file writes
 * them with the weights reordered inside the graph instead, for the convolutions where they are
 * faster than the standard Conv (im2col + GEMM per image). Measured on this project's shapes with
 * AVX-512 (one thread): the 4×4 stride-2 convolutions of the conv β-VAE and the 3×5 masked ones of
 * the PixelCNN run 1.4–2× faster including the reorders; the weight-gradient convolutions (kernels
 * as large as the feature map) run slower, so kernels above {@link NCHWC_MAX_KERNEL_AREA} stay on Conv.
 *
 * Only sessions of the native backend use this (see `runtime.ts`); exported models stay standard ONNX.
 */
import { attr, type AttributeProto } from './proto.js';
import type { ConvEpilogueNames, LowerContext } from './lower.js';

/** The domain of onnxruntime's blocked-layout kernels. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** Kernels with more taps than this (weight gradients: the whole feature map) stay on standard Conv. */
export const NCHWC_MAX_KERNEL_AREA = 64;

/**
 * Whether a convolution with `inChannels` → `outChannels` and `kernel` can run blocked with channel
 * block `block`: the output channels fill whole blocks, and the input either does too (blocked input)
 * or has fewer than 8 channels (the kernels then read the plain NCHW input, like a first layer on
 * images). These are the conditions onnxruntime's own rewrite checks.
 */
export function nchwcFits(block: number, inChannels: number, outChannels: number, kernel: readonly number[]): boolean {
  if (block <= 1 || outChannels % block !== 0) return false;
  if (inChannels >= 8 && inChannels % block !== 0) return false;
  return kernel[0] * kernel[1] <= NCHWC_MAX_KERNEL_AREA;
}

/**
 * Emits y = conv(x, w) with `attributes` (kernel_shape, pads, strides, dilations of ONNX Conv) on the
 * blocked kernels: x is reordered to NCHWc (unless it has fewer than 8 channels), w [O, C, kH, kW] is
 * rearranged into the kernels' filter order (b = `block`) — [O/b][C/b][kH][kW][c mod b][o mod b] for blocked input,
 * [O/b][C][kH][kW][o mod b] for plain input — and y is reordered back to NCHW. The kernels add the
 * epilogue's bias and apply its ReLU to the blocked output. The caller checks {@link nchwcFits} first.
 */
export function emitNchwcConv(
  ctx: LowerContext,
  block: number,
  [x, w]: readonly [string, string],
  y: string,
  [outChannels, inChannels, kH, kW]: readonly number[],
  attributes: AttributeProto[],
  epilogue?: ConvEpilogueNames,
): void {
  const blockedInput = inChannels >= 8;
  let input = x;
  if (blockedInput) {
    input = ctx.fresh(`${y}/x_nchwc`);
    ctx.emit('ReorderInput', [x], [input], [], NCHWC_DOMAIN);
  }
  const split = ctx.fresh(`${y}/w_split`);
  const moved = ctx.fresh(`${y}/w_moved`);
  const filter = ctx.fresh(`${y}/w_nchwc`);
  if (blockedInput) {
    ctx.emit('Reshape', [w, ctx.int64s(`${y}/w_split_shape`, [outChannels / block, block, inChannels / block, block, kH, kW])], [split]);
    ctx.emit('Transpose', [split], [moved], [attr.ints('perm', [0, 2, 4, 5, 3, 1])]);
  } else {
    ctx.emit('Reshape', [w, ctx.int64s(`${y}/w_split_shape`, [outChannels / block, block, inChannels, kH, kW])], [split]);
    ctx.emit('Transpose', [split], [moved], [attr.ints('perm', [0, 2, 3, 4, 1])]);
  }
  ctx.emit('Reshape', [moved, ctx.int64s(`${y}/w_shape`, [outChannels, inChannels, kH, kW])], [filter]);
  const blockedOutput = ctx.fresh(`${y}/y_nchwc`);
  const fused = epilogue?.relu ? [attr.string('activation', 'Relu')] : [];
  ctx.emit('Conv', epilogue ? [input, filter, epilogue.bias] : [input, filter], [blockedOutput], [...attributes, ...fused], NCHWC_DOMAIN);
  ctx.emit('ReorderOutput', [blockedOutput], [y], [attr.int('channels', outChannels)], NCHWC_DOMAIN);
}

/**
 * The weights of the convolution equal to a stride-1 transposed convolution with weights w [C, O, kH, kW]:
 * w' [O, C, kH, kW] with both kernel axes reversed, w'[o, c, p, q] = w[c, o, kH − 1 − p, kW − 1 − q].
 * Returns the name of w'.
 */
export function emitFlippedTransposedWeights(ctx: LowerContext, w: string, y: string, [kH, kW]: readonly number[]): string {
  const swapped = ctx.fresh(`${y}/w_swapped`);
  ctx.emit('Transpose', [w], [swapped], [attr.ints('perm', [1, 0, 2, 3])]);
  const flipped = ctx.fresh(`${y}/w_flipped`);
  // Slice with step −1 from the last index to before the first (an end below −dim clamps to "before 0").
  ctx.emit(
    'Slice',
    [
      swapped,
      ctx.int64s(`${y}/flip_starts`, [-1, -1]),
      ctx.int64s(`${y}/flip_ends`, [-(kH + 1), -(kW + 1)]),
      ctx.int64s(`${y}/flip_axes`, [2, 3]),
      ctx.int64s(`${y}/flip_steps`, [-1, -1]),
    ],
    [flipped],
  );
  return flipped;
}
