/**
 * Builders for primitive operations. Each checks its operands' shapes and dtypes when the graph is
 * built and throws a {@link GraphError} that names the op, the shapes and the calling line; then it
 * records a node. Composite operations built from these live in `composite.ts`.
 */
import { Parameter } from './parameter.js';
import type { DType, Primitive, PrimitiveParams } from './primitives.js';
import { sizeOf, Tensor } from './tensor.js';

/** A tensor, or a number that becomes a scalar constant of the other operand's dtype. */
export type TensorLike = Tensor | number;

/** A mistake in the graph being built: wrong shapes, dtypes or arguments. */
export class GraphError extends Error {
  override name = 'GraphError';
}

/** Throws a GraphError for `op`, naming the first caller outside the engine. */
export function fail(op: string, message: string): never {
  throw new GraphError(`${op}: ${message}${callSite()}`);
}

function callSite(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const user = frames.find((f) => !/[\\/]src[\\/]engine[\\/]/.test(f) && !/node:internal|node_modules/.test(f));
  return user ? ` (at ${user.trim().replace(/^at /, '')})` : '';
}

function node<P extends Primitive>(
  op: P,
  inputs: readonly Tensor[],
  params: PrimitiveParams[P],
  shape: readonly number[],
  dtype: DType,
): Tensor<P> {
  return new Tensor(op, inputs, params, shape, dtype);
}

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;
const NONE = {} as Record<string, never>;

function checkShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail(op, `invalid shape ${fmt(shape)}: dimensions must be non-negative integers`);
  }
}

// ---------------------------------------------------------------------------------------------
// Leaves

/** A value fed at run time under `name`. */
export function input(name: string, shape: readonly number[], dtype: DType = 'float32'): Tensor<'input'> {
  checkShape('input', shape);
  return node('input', [], { name }, [...shape], dtype);
}

const paramLeaves = new WeakMap<Parameter, Tensor<'param'>>();

/** The graph leaf of a trainable parameter (one leaf per Parameter, shared by every use). */
export function param(p: Parameter): Tensor<'param'> {
  let leaf = paramLeaves.get(p);
  if (!leaf) {
    leaf = node('param', [], { parameter: p }, [...p.shape], 'float32');
    paramLeaves.set(p, leaf);
  }
  return leaf;
}

/** A literal tensor; `values` is row-major and must have `shape`'s size (a number gives a scalar). */
export function constant(
  values: number | ArrayLike<number>,
  shape: readonly number[] = typeof values === 'number' ? [] : [values.length],
  dtype: DType = 'float32',
): Tensor<'constant'> {
  checkShape('constant', shape);
  const value = typeof values === 'number' ? Float64Array.of(values) : Float64Array.from(values);
  if (value.length !== sizeOf(shape)) {
    fail('constant', `${value.length} values do not fill shape ${fmt(shape)}`);
  }
  return node('constant', [], { value }, [...shape], dtype);
}

/** A tensor of `shape` filled with `v`. */
export function full(shape: readonly number[], v: number, dtype: DType = 'float32'): Tensor {
  return expand(constant(v, [], dtype), shape);
}

export const zeros = (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 0, dtype);
export const ones = (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 1, dtype);

function lift(x: TensorLike, like: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  return constant(x, [], like instanceof Tensor ? like.dtype : 'float32');
}

// ---------------------------------------------------------------------------------------------
// Elementwise

type Unary = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'tanh' | 'sigmoid' | 'relu' | 'softplus' | 'stopGradient';

function unary(op: Unary, x: Tensor): Tensor {
  if (op !== 'stopGradient' && op !== 'neg' && op !== 'abs' && x.dtype !== 'float32') {
    fail(op, `expected a float32 tensor, got ${x.dtype}`);
  }
  return node(op, [x], NONE, x.shape, x.dtype);
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** max(x, 0). */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** log(1 + eˣ), stable for any x. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
/** Identity in the forward pass; no gradient flows through it. */
export const stopGradient = (x: Tensor): Tensor => unary('stopGradient', x);

/** Converts to another element type (true -> 1, false -> 0). */
export function cast(x: Tensor, to: DType): Tensor {
  if (x.dtype === to) return x;
  return node('cast', [x], { to }, x.shape, to);
}

/** The NumPy broadcast of two or more shapes. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else fail(op, `shapes ${shapes.map(fmt).join(' and ')} do not broadcast (axis ${j}: ${out[j]} vs ${d})`);
    }
  }
  return out;
}

type Binary = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'less' | 'greater' | 'equal';

function binary(op: Binary, a: TensorLike, b: TensorLike): Tensor {
  const x = lift(a, b);
  const y = lift(b, a);
  if (x.dtype !== y.dtype) fail(op, `dtypes differ: ${x.dtype} and ${y.dtype}`);
  const comparison = op === 'less' || op === 'greater' || op === 'equal';
  if (!comparison && x.dtype === 'bool') fail(op, 'arithmetic on bool tensors; cast them first');
  const shape = broadcastShapes(op, x.shape, y.shape);
  return node(op, [x, y], NONE, shape, comparison ? 'bool' : x.dtype);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** a^b elementwise; the gradient with respect to b needs a > 0. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);

/** Elementwise choice: `a` where `condition` is true, else `b` (all three broadcast). */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (condition.dtype !== 'bool') fail('where', `condition must be bool, got ${condition.dtype}`);
  const x = lift(a, b);
  const y = lift(b, a);
  if (x.dtype !== y.dtype) fail('where', `branch dtypes differ: ${x.dtype} and ${y.dtype}`);
  const shape = broadcastShapes('where', condition.shape, x.shape, y.shape);
  return node('where', [condition, x, y], NONE, shape, x.dtype);
}

// ---------------------------------------------------------------------------------------------
// Reductions

/** Normalises `axes` (negative counts from the end; undefined means all) to sorted unique axes. */
export function normalizeAxes(op: string, rank: number, axes?: number | readonly number[]): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) fail(op, `axis ${a} out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  return [...new Set(out)].sort((p, q) => p - q);
}

function reduce(op: 'sum' | 'max', x: Tensor, axes: number | readonly number[] | undefined, keepdims: boolean): Tensor {
  if (x.dtype !== 'float32') fail(op, `expected a float32 tensor, got ${x.dtype}`);
  const ax = normalizeAxes(op, x.rank, axes);
  if (ax.length === 0) return x;
  const shape = keepdims ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !ax.includes(i));
  return node(op, [x], { axes: ax, keepdims }, shape, x.dtype);
}

/** Sum over `axes` (all when omitted). */
export const sum = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => reduce('sum', x, axes, keepdims);
/** Maximum over `axes` (all when omitted); the gradient is split evenly between ties. */
export const max = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => reduce('max', x, axes, keepdims);

/** Σ over the last axis of softplus(x) = log(1 + eˣ), stable for any x; the result drops that axis. */
export function softplusSum(x: Tensor): Tensor {
  if (x.dtype !== 'float32') fail('softplusSum', `expected a float32 tensor, got ${x.dtype}`);
  if (x.rank === 0) fail('softplusSum', 'expected a tensor with at least one axis, got a scalar');
  return node('softplusSum', [x], NONE, x.shape.slice(0, -1), x.dtype);
}

// ---------------------------------------------------------------------------------------------
// Shape and indexing

/** Reshape; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1);
  const inferred = shape.length - known.length;
  if (inferred > 1) fail('reshape', `at most one -1 allowed, got ${fmt(shape)}`);
  checkShape('reshape', known);
  const knownSize = sizeOf(known);
  const out = shape.map((d) => (d === -1 ? (knownSize === 0 ? 0 : x.size / knownSize) : d));
  if (sizeOf(out) !== x.size || !out.every(Number.isInteger)) {
    fail('reshape', `cannot reshape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
  }
  if (out.length === x.rank && out.every((d, i) => d === x.shape[i])) return x;
  return node('reshape', [x], { shape: out }, out, x.dtype);
}

/** Permutes the axes (reverses them when `perm` is omitted). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((v, i) => v !== i)) {
    fail('transpose', `perm [${p}] is not a permutation of the ${x.rank} axes of ${fmt(x.shape)}`);
  }
  if (p.every((v, i) => v === i)) return x;
  return node(
    'transpose',
    [x],
    { perm: p },
    p.map((i) => x.shape[i]),
    x.dtype,
  );
}

/** Broadcasts `x` to `shape` (NumPy rules; leading axes are added as needed). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkShape('expand', shape);
  if (shape.length < x.rank) fail('expand', `cannot expand ${fmt(x.shape)} to lower rank ${fmt(shape)}`);
  const padded = [...new Array<number>(shape.length - x.rank).fill(1), ...x.shape];
  padded.forEach((d, i) => {
    if (d !== 1 && d !== shape[i]) fail('expand', `cannot expand ${fmt(x.shape)} to ${fmt(shape)} (axis ${i})`);
  });
  const y = reshape(x, padded);
  if (padded.every((d, i) => d === shape[i])) return y;
  return node('expand', [y], { shape: [...shape] }, [...shape], x.dtype);
}

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) fail('concat', 'needs at least one tensor');
  const first = xs[0];
  const [ax] = normalizeAxes('concat', first.rank, axis);
  for (const t of xs) {
    if (t.dtype !== first.dtype) fail('concat', `dtypes differ: ${first.dtype} and ${t.dtype}`);
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      fail('concat', `shapes ${xs.map((s) => fmt(s.shape)).join(', ')} differ off axis ${ax}`);
    }
  }
  if (xs.length === 1) return first;
  const shape = [...first.shape];
  shape[ax] = xs.reduce((n, t) => n + t.shape[ax], 0);
  return node('concat', xs, { axis: ax }, shape, first.dtype);
}

/** Elements [start, end) along one axis (negative indices count from the end). */
export function slice(x: Tensor, axis: number, start: number, end: number = x.shape[axis < 0 ? axis + x.rank : axis]): Tensor {
  const [ax] = normalizeAxes('slice', x.rank, axis);
  const dim = x.shape[ax];
  const s = start < 0 ? start + dim : start;
  const e = end < 0 ? end + dim : end;
  if (!(0 <= s && s <= e && e <= dim)) fail('slice', `range [${start}, ${end}) out of bounds for axis ${ax} of ${fmt(x.shape)}`);
  if (s === 0 && e === dim) return x;
  const starts = x.shape.map(() => 0);
  const ends = [...x.shape];
  starts[ax] = s;
  ends[ax] = e;
  const shape = [...x.shape];
  shape[ax] = e - s;
  return node('slice', [x], { starts, ends }, shape, x.dtype);
}

/** Splits along `axis` into pieces of the given sizes. */
export function split(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  const [ax] = normalizeAxes('split', x.rank, axis);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== x.shape[ax]) fail('split', `sizes [${sizes}] add up to ${total}, axis ${ax} of ${fmt(x.shape)} is ${x.shape[ax]}`);
  let at = 0;
  return sizes.map((n) => slice(x, ax, at, (at += n)));
}

/** Zero padding: `before[i]` / `after[i]` elements on axis i. */
export function pad(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  if (before.length !== x.rank || after.length !== x.rank) {
    fail('pad', `needs ${x.rank} before/after amounts for ${fmt(x.shape)}, got [${before}] / [${after}]`);
  }
  if ([...before, ...after].some((p) => !Number.isInteger(p) || p < 0)) fail('pad', `amounts must be non-negative integers`);
  if ([...before, ...after].every((p) => p === 0)) return x;
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return node('pad', [x], { before: [...before], after: [...after] }, shape, x.dtype);
}

/** Picks entries along `axis` with 1-D int64 `indices` (like torch.index_select). */
export function gather(x: Tensor, indices: Tensor, axis: number): Tensor {
  const [ax] = normalizeAxes('gather', x.rank, axis);
  if (indices.dtype !== 'int64' || indices.rank !== 1) {
    fail('gather', `indices must be a 1-D int64 tensor, got ${fmt(indices.shape)}:${indices.dtype}`);
  }
  const shape = [...x.shape];
  shape[ax] = indices.shape[0];
  return node('gather', [x, indices], { axis: ax }, shape, x.dtype);
}

/** Zeros with `size` entries along `axis`, with each slice of `updates` added at its index (adjoint of gather). */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  const [ax] = normalizeAxes('scatterAdd', updates.rank, axis);
  if (indices.dtype !== 'int64' || indices.rank !== 1 || indices.shape[0] !== updates.shape[ax]) {
    fail('scatterAdd', `indices must be 1-D int64 of length ${updates.shape[ax]}, got ${fmt(indices.shape)}:${indices.dtype}`);
  }
  const shape = [...updates.shape];
  shape[ax] = size;
  return node('scatterAdd', [updates, indices], { axis: ax, size }, shape, updates.dtype);
}

// ---------------------------------------------------------------------------------------------
// Linear algebra and convolution

/**
 * Matrix product over the last two axes, leading axes broadcast: `op(a) @ op(b)` where op transposes
 * the last two axes when `transA` / `transB` is set.
 */
export function matmul(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (a.rank < 2 || b.rank < 2) fail('matmul', `operands need rank >= 2, got ${fmt(a.shape)} x ${fmt(b.shape)}`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') fail('matmul', `expected float32 operands`);
  const [m, ka] = transA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [kb, n] = transB ? [b.shape[b.rank - 1], b.shape[b.rank - 2]] : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (ka !== kb) {
    const t = (s: Tensor, tr: boolean): string => fmt(s.shape) + (tr ? 'ᵀ' : '');
    fail('matmul', `expected inner dims to match, got ${t(a, transA)} x ${t(b, transB)}`);
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return node('matmul', [a, b], { transA, transB }, [...batch, m, n], 'float32');
}

/** Stride, padding and dilation for the 2-D convolutions; a number applies to both axes. */
export interface Conv2dOptions {
  stride?: number | [number, number];
  /** A number, [vertical, horizontal], or [top, left, bottom, right]. */
  padding?: number | [number, number] | [number, number, number, number];
  dilation?: number | [number, number];
}

const pair = (v: number | [number, number] | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;

function pads(p: Conv2dOptions['padding']): [number, number, number, number] {
  if (p === undefined) return [0, 0, 0, 0];
  if (typeof p === 'number') return [p, p, p, p];
  return p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;
}

function checkConvOperands(op: string, x: Tensor, w: Tensor, inChannelsAxis: 0 | 1): void {
  if (x.rank !== 4 || w.rank !== 4) fail(op, `expects NCHW input and 4-D weights, got ${fmt(x.shape)} and ${fmt(w.shape)}`);
  if (x.shape[1] !== w.shape[inChannelsAxis]) {
    fail(op, `input has ${x.shape[1]} channels but weights ${fmt(w.shape)} expect ${w.shape[inChannelsAxis]}`);
  }
}

/** 2-D convolution: x [N, C, H, W], w [Cout, C, kH, kW] -> [N, Cout, H', W']. */
export function conv2d(x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  checkConvOperands('conv2d', x, w, 1);
  const stride = pair(opts.stride, 1);
  const dilation = pair(opts.dilation, 1);
  const padding = pads(opts.padding);
  const out = [0, 1].map((i) => {
    const span = dilation[i] * (w.shape[2 + i] - 1) + 1;
    return Math.floor((x.shape[2 + i] + padding[i] + padding[i + 2] - span) / stride[i]) + 1;
  });
  if (out.some((d) => d < 1)) fail('conv2d', `kernel ${fmt(w.shape)} does not fit input ${fmt(x.shape)} with padding [${padding}]`);
  return node('conv2d', [x, w], { stride, padding, dilation }, [x.shape[0], w.shape[0], out[0], out[1]], 'float32');
}

/**
 * Transposed 2-D convolution (the adjoint of conv2d with respect to its input):
 * x [N, Cin, H, W], w [Cin, Cout, kH, kW] -> [N, Cout, (H-1)s - pads + d(k-1) + outputPadding + 1, ...].
 */
export function convTranspose2d(x: Tensor, w: Tensor, opts: Conv2dOptions & { outputPadding?: number | [number, number] } = {}): Tensor {
  checkConvOperands('convTranspose2d', x, w, 0);
  const stride = pair(opts.stride, 1);
  const dilation = pair(opts.dilation, 1);
  const padding = pads(opts.padding);
  const outputPadding = pair(opts.outputPadding, 0);
  if (outputPadding.some((p, i) => p >= Math.max(stride[i], dilation[i]))) {
    fail('convTranspose2d', `outputPadding [${outputPadding}] must be smaller than stride or dilation`);
  }
  const out = [0, 1].map(
    (i) => (x.shape[2 + i] - 1) * stride[i] - padding[i] - padding[i + 2] + dilation[i] * (w.shape[2 + i] - 1) + outputPadding[i] + 1,
  );
  if (out.some((d) => d < 1)) fail('convTranspose2d', `padding [${padding}] leaves no output for ${fmt(x.shape)}`);
  return node('convTranspose2d', [x, w], { stride, padding, outputPadding, dilation }, [x.shape[0], w.shape[1], out[0], out[1]], 'float32');
}
