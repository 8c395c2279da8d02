/**
 * The closed set of primitive operations the engine knows. Every other operation (softplus,
 * logsumexp, log-sigmoid, one-hot, ...) is a composition of these and gets its gradient for free.
 *
 * Each rule table in the engine — gradients (`grad.ts`), the float64 reference interpreter
 * (`reference.ts`) and the ONNX lowering (`onnx/lower.ts`) — is typed `{ [P in Primitive]: ... }`,
 * so adding a primitive here fails `tsc` until every table handles it.
 */

import type { Parameter } from './parameter.js';

/** Element types a tensor can hold. Floats are float32 in ONNX and float64 in the reference interpreter. */
export type DType = 'float32' | 'int64' | 'bool';

/** The parameters each primitive carries, beside its input tensors. */
export interface PrimitiveParams {
  // Leaves.
  /** A value fed at run time under `name`. */
  input: { name: string };
  /** A trainable parameter; its current value lives in the Parameter. */
  param: { parameter: Parameter };
  /** A literal; values are row-major. */
  constant: { value: Float64Array };

  // Elementwise, one input.
  neg: Record<string, never>;
  exp: Record<string, never>;
  log: Record<string, never>;
  sqrt: Record<string, never>;
  abs: Record<string, never>;
  tanh: Record<string, never>;
  sigmoid: Record<string, never>;
  /** max(x, 0), one ONNX Relu (vectorised, where Max against a broadcast 0 is not). */
  relu: Record<string, never>;
  /** log(1 + eˣ), one ONNX Softplus (a single pass where the composite form takes seven). */
  softplus: Record<string, never>;
  /** Identity in the forward pass, zero gradient. */
  stopGradient: Record<string, never>;
  /** Converts the element type (bool -> float32 for masks, int64 <-> float32). */
  cast: { to: DType };

  // Elementwise, two inputs, NumPy broadcasting.
  add: Record<string, never>;
  sub: Record<string, never>;
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  maximum: Record<string, never>;
  minimum: Record<string, never>;
  less: Record<string, never>;
  greater: Record<string, never>;
  equal: Record<string, never>;
  /** where(condition, a, b), three inputs broadcast together. */
  where: Record<string, never>;

  // Reductions over sorted, non-negative axes.
  sum: { axes: number[]; keepdims: boolean };
  max: { axes: number[]; keepdims: boolean };
  /**
   * Σ over the last axis of log(1 + eˣ): the normaliser of a Bernoulli likelihood, summed over pixels.
   * A primitive because onnxruntime's Log (and Softplus) are scalar loops: its lowering takes one Log per
   * chunk of up to 126 values, where softplus and a sum would take one per value.
   */
  softplusSum: Record<string, never>;

  // Shape and indexing.
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  /** Broadcasts to `shape` (the input's rank is already padded to it). */
  expand: { shape: number[] };
  concat: { axis: number };
  /** Step-1 slice: for each axis, [starts[i], ends[i]) with 0 <= starts <= ends <= dim. */
  slice: { starts: number[]; ends: number[] };
  /** Zero padding: `before[i]` and `after[i]` elements added on axis i. */
  pad: { before: number[]; after: number[] };
  /** gather(x, indices): picks entries of `x` along `axis` with 1-D int64 `indices` (torch index_select). */
  gather: { axis: number };
  /** scatterAdd(updates, indices): zeros of length `size` along `axis`, updates added at `indices` (the adjoint of gather). */
  scatterAdd: { axis: number; size: number };

  // Linear algebra and convolution.
  /** Matrix product over the last two axes (leading axes broadcast), optionally transposing either side. */
  matmul: { transA: boolean; transB: boolean };
  /** NCHW convolution with weights [Cout, Cin, kH, kW]. Padding is [top, left, bottom, right]. */
  conv2d: { stride: [number, number]; padding: [number, number, number, number]; dilation: [number, number] };
  /** NCHW transposed convolution with weights [Cin, Cout, kH, kW]: the adjoint of conv2d with respect to its input. */
  convTranspose2d: {
    stride: [number, number];
    padding: [number, number, number, number];
    outputPadding: [number, number];
    dilation: [number, number];
  };
}

/** The name of a primitive operation. */
export type Primitive = keyof PrimitiveParams;

/** Every primitive, in a fixed order (handy for tests that must cover them all). */
export const PRIMITIVES = [
  'input',
  'param',
  'constant',
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'tanh',
  'sigmoid',
  'relu',
  'softplus',
  'stopGradient',
  'cast',
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'less',
  'greater',
  'equal',
  'where',
  'sum',
  'max',
  'softplusSum',
  'reshape',
  'transpose',
  'expand',
  'concat',
  'slice',
  'pad',
  'gather',
  'scatterAdd',
  'matmul',
  'conv2d',
  'convTranspose2d',
] as const satisfies readonly Primitive[];

// Compile-time check that PRIMITIVES lists every primitive.
type Missing = Exclude<Primitive, (typeof PRIMITIVES)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;
