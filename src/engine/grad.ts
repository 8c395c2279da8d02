/**
 * Reverse-mode automatic differentiation on traced graphs. `grad` walks the graph backwards from
 * the output and builds the gradient as a new graph of ordinary ops (ops.ts), so it lowers to
 * standard ONNX and can itself be evaluated, differentiated or fused with an optimizer update.
 *
 * Each primitive has one rule: given the output cotangent dy (shaped like the output), the output y
 * and the inputs x, it returns one lazily built cotangent per input (null where none flows). The
 * rules ignore broadcasting; `unbroadcast` folds every cotangent back to its input's shape in one
 * place. Rules are only invoked for inputs on a path from `wrt` to `y`.
 */
import {
  add,
  cast,
  concat,
  conv2d,
  convTranspose2d,
  div,
  equal,
  expand,
  fail,
  gather,
  greater,
  less,
  log,
  matmul,
  mul,
  neg,
  ones,
  pad,
  pow,
  reshape,
  scatterAdd,
  sigmoid,
  slice,
  sub,
  sum,
  transpose,
  where,
  zeros,
} from './ops.js';
import type { Primitive, PrimitiveParams } from './primitives.js';
import { type Tensor, topologicalOrder } from './tensor.js';

/** What a gradient rule sees: the output cotangent, the output, and the inputs. */
export interface GradArgs<P extends Primitive> {
  /** Cotangent of the output, shaped like `y`. */
  dy: Tensor;
  /** The forward node (its value and params). */
  y: Tensor<P>;
  /** The forward node's inputs. */
  x: readonly Tensor[];
}

/** A cotangent built on demand (only for inputs that need one), or null where no gradient flows. */
export type LazyCotangent = (() => Tensor) | null;

/**
 * The gradient rule of one primitive: one cotangent per input, each shaped like the output or like
 * anything that broadcasts to the input's shape through `unbroadcast`.
 */
export type GradRule<P extends Primitive> = (args: GradArgs<P>) => readonly LazyCotangent[];

/**
 * Gradients of `sum(y · dy)` with respect to each tensor of `wrt`:
 * `grad(y, wrt, dy)[i] = ∂/∂wrt[i] Σ_j y_j · dy_j` (dy defaults to ones, so a scalar `y` gives ∇y).
 *
 * The result is a new graph, one tensor per `wrt`, each of its shape; a tensor that `y` does not
 * depend on (or only through stopGradient, comparisons or integer casts) gets `zeros(shape)`. Only
 * nodes on a path from `wrt` to `y` get cotangents; cotangents of a node used several times add up.
 *
 * @param y a float32 tensor.
 * @param wrt any tensors, typically `param` or `input` leaves.
 * @param dy the output cotangent, shaped like `y`.
 */
export function grad(y: Tensor, wrt: readonly Tensor[], dy?: Tensor): Tensor[] {
  if (y.dtype !== 'float32') fail('grad', `can only differentiate a float32 tensor, got ${y}`);
  if (dy && (dy.dtype !== 'float32' || !sameShape(dy.shape, y.shape))) {
    fail('grad', `dy ${dy} must be float32 and shaped like y ${y}`);
  }
  const order = topologicalOrder([y]);
  const wanted = new Set(wrt.map((t) => t.id));
  // Forward pass: which float tensors depend on some `wrt` (stopGradient cuts the path).
  const live = new Set<number>();
  for (const t of order) {
    const reached = wanted.has(t.id) || (t.op !== 'stopGradient' && t.inputs.some((x) => live.has(x.id)));
    if (reached && t.dtype === 'float32') live.add(t.id);
  }
  // Backward pass, from y towards the leaves; every node of `order` reaches y.
  const cotangents = new Map<number, Tensor>();
  if (live.has(y.id)) cotangents.set(y.id, dy ?? ones(y.shape));
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const g = cotangents.get(t.id);
    if (!g || !t.inputs.some((x) => live.has(x.id))) continue;
    const lazy = (rules[t.op] as GradRule<Primitive>)({ dy: g, y: t, x: t.inputs });
    t.inputs.forEach((x, j) => {
      const build = lazy[j];
      if (!live.has(x.id) || !build) return;
      const gx = unbroadcast(build(), x.shape);
      const prev = cotangents.get(x.id);
      cotangents.set(x.id, prev ? accumulate(prev, gx) : gx);
    });
    if (!wanted.has(t.id)) cotangents.delete(t.id);
  }
  return wrt.map((t) => cotangents.get(t.id) ?? zeros(t.shape));
}

/**
 * prev + g. Where both are zero-padded pieces that sit side by side along one axis (the cotangents of
 * the parts of a split, e.g. a gated layer's two halves), they are joined with one concat instead of
 * two pads and an add over the full size.
 */
function accumulate(prev: Tensor, g: Tensor): Tensor {
  if (!prev.is('pad') || !g.is('pad')) return add(prev, g);
  const axes = prev.shape
    .map((_, i) => i)
    .filter((i) => prev.params.before[i] + prev.params.after[i] + g.params.before[i] + g.params.after[i] > 0);
  if (axes.length !== 1) return add(prev, g);
  const k = axes[0];
  const [lo, hi] = prev.params.before[k] <= g.params.before[k] ? [prev, g] : [g, prev];
  if (lo.params.before[k] + lo.inputs[0].shape[k] !== hi.params.before[k]) return add(prev, g);
  const before = lo.params.before.map((b, i) => (i === k ? b : 0));
  const after = hi.params.after.map((a, i) => (i === k ? a : 0));
  return pad(concat([lo.inputs[0], hi.inputs[0]], k), before, after);
}

/**
 * Folds a cotangent `g` computed in a broadcast shape back to `shape`: sums over the leading axes
 * `g` has in excess and over axes where `shape` is 1 but `g` is not, then reshapes.
 * `unbroadcast(g, s)_i = Σ_{j broadcast from i} g_j`, the adjoint of broadcasting `s` to `g.shape`.
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0 || shape.some((d, i) => d !== 1 && d !== g.shape[lead + i])) {
    fail('grad', `cotangent ${g} does not broadcast from [${shape}]`);
  }
  const axes = g.shape.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
  return reshape(sum(g, axes, true), shape);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the rules

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A reduction's output (or its cotangent) reshaped with the reduced axes kept as 1. */
function keepDims(t: Tensor, axes: readonly number[], inShape: readonly number[]): Tensor {
  return reshape(
    t,
    inShape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/** The first h rows and w columns of an NCHW tensor. */
const crop = (t: Tensor, h: number, w: number): Tensor => slice(slice(t, 2, 0, h), 3, 0, w);

/** Swaps the first two axes of a 4-D tensor: [N, C, H, W] <-> [C, N, H, W]. */
const swap01 = (t: Tensor): Tensor => transpose(t, [1, 0, 2, 3]);

/** Inverse of a permutation. */
const inverse = (perm: readonly number[]): number[] => perm.map((_, i) => perm.indexOf(i));

type ConvParams = PrimitiveParams['conv2d'];

/**
 * The weight gradient of a convolution y[n,o,i,j] = Σ x[n, c, i·s − top + p·d, …] w[o,c,p,q], as
 * [C, Cout, kH, kW] (swap the first two axes for w's layout):
 * dw[o,c,p,q] = Σ_{n,i,j} x[n, c, p·d − top + i·s, …] dy[n,o,i,j] — a conv2d of x with batch and
 * channels swapped ([C,N,H,W]) against dy as the kernel ([Cout,N,H',W']), stride and dilation
 * exchanged, the same padding, cropped to the kernel size (extra bottom/right rows are unused).
 */
function convWeightGrad(x: Tensor, dy: Tensor, kernel: readonly number[], { stride, padding, dilation }: ConvParams): Tensor {
  return crop(conv2d(swap01(x), swap01(dy), { stride: dilation, dilation: stride, padding }), kernel[2], kernel[3]);
}

const none: GradRule<Primitive> = () => [];
const noGradient: GradRule<Primitive> = ({ x }) => x.map(() => null);

// ---------------------------------------------------------------------------------------------
// The rule table: one line of math per primitive.

const rules: { [P in Primitive]: GradRule<P> } = {
  input: none,
  param: none,
  constant: none,

  neg: ({ dy }) => [() => neg(dy)], // d(−x) = −dx
  exp: ({ dy, y }) => [() => mul(dy, y)], // d exp(x) = exp(x) dx
  log: ({ dy, x: [a] }) => [() => div(dy, a)], // d log x = dx / x
  sqrt: ({ dy, y }) => [() => div(dy, mul(y, 2))], // d √x = dx / (2√x)
  // d|x| = sign(x) dx with sign(0) := 1.
  abs: ({ dy, x: [a] }) => [() => where(less(a, 0), neg(dy), dy)],
  tanh: ({ dy, y }) => [() => mul(dy, sub(1, mul(y, y)))], // d tanh x = (1 − tanh²x) dx
  sigmoid: ({ dy, y }) => [() => mul(dy, mul(y, sub(1, y)))], // d σ(x) = σ(x)(1 − σ(x)) dx
  relu: ({ dy, y }) => [() => mul(dy, cast(greater(y, 0), 'float32'))], // d max(x, 0) = [x > 0] dx
  softplus: ({ dy, x: [a] }) => [() => mul(dy, sigmoid(a))], // d log(1 + eˣ) = σ(x) dx
  stopGradient: noGradient, // no gradient by definition
  cast: ({ dy }) => [() => dy], // float -> float is the identity; casts from int/bool are pruned (not float)

  add: ({ dy }) => [() => dy, () => dy], // d(a + b) = da + db
  sub: ({ dy }) => [() => dy, () => neg(dy)], // d(a − b) = da − db
  mul: ({ dy, x: [a, b] }) => [() => mul(dy, b), () => mul(dy, a)], // d(ab) = b da + a db
  div: ({ dy, y, x: [, b] }) => [() => div(dy, b), () => neg(div(mul(dy, y), b))], // d(a/b) = da/b − (a/b) db/b
  pow: ({ dy, y, x: [a, b] }) => [
    () => mul(dy, mul(b, pow(a, sub(b, 1)))), // ∂aᵇ/∂a = b·aᵇ⁻¹
    () => mul(dy, where(equal(a, 0), 0, mul(y, log(a)))), // ∂aᵇ/∂b = aᵇ log a, taken as 0 at a = 0
  ],
  maximum: ({ dy, x: [a, b] }) => [() => where(less(a, b), 0, dy), () => where(less(a, b), dy, 0)], // ties to a
  minimum: ({ dy, x: [a, b] }) => [() => where(greater(a, b), 0, dy), () => where(greater(a, b), dy, 0)], // ties to a
  less: noGradient, // bool output
  greater: noGradient,
  equal: noGradient,
  where: ({ dy, x: [c] }) => [null, () => where(c, dy, 0), () => where(c, 0, dy)], // each branch where chosen

  sum: ({ dy, y, x: [a] }) => [() => expand(keepDims(dy, y.params.axes, a.shape), a.shape)], // ∂Σx/∂xᵢ = 1
  softplusSum: ({ dy, x: [a] }) => [() => mul(keepDims(dy, [a.rank - 1], a.shape), sigmoid(a))], // ∂Σ softplus(x)/∂xᵢ = σ(xᵢ)
  // ∂max/∂xᵢ = [xᵢ = max] / #ties: split evenly between tied maxima.
  max: ({ dy, y, x: [a] }) => [
    () => {
      const { axes } = y.params;
      const mask = cast(equal(a, keepDims(y, axes, a.shape)), 'float32');
      return mul(mask, div(keepDims(dy, axes, a.shape), sum(mask, axes, true)));
    },
  ],

  reshape: ({ dy, x: [a] }) => [() => reshape(dy, a.shape)], // reshape back
  transpose: ({ dy, y }) => [() => transpose(dy, inverse(y.params.perm))], // inverse permutation
  expand: ({ dy }) => [() => dy], // unbroadcast sums over the expanded axes
  concat: ({ dy, y, x }) => {
    const ax = y.params.axis;
    const starts = x.map((_, i) => x.slice(0, i).reduce((n, t) => n + t.shape[ax], 0));
    return x.map((t, i) => () => slice(dy, ax, starts[i], starts[i] + t.shape[ax])); // each part's slice
  },
  // slice ↔ pad: the cotangent of a slice is padded back with zeros, and vice versa.
  slice: ({ dy, y, x: [a] }) => [
    () =>
      pad(
        dy,
        y.params.starts,
        a.shape.map((d, i) => d - y.params.ends[i]),
      ),
  ],
  pad: ({ dy, y, x: [a] }) => [() => a.shape.reduce((g, d, i) => slice(g, i, y.params.before[i], y.params.before[i] + d), dy)],
  // gather ↔ scatterAdd: adjoints of each other; the indices get none.
  gather: ({ dy, y, x: [a, idx] }) => [() => scatterAdd(dy, idx, y.params.axis, a.shape[y.params.axis]), null],
  scatterAdd: ({ dy, y, x: [, idx] }) => [() => gather(dy, idx, y.params.axis), null],

  // C = op(A) op(B): d op(A) = dC op(B)ᵀ and d op(B) = op(A)ᵀ dC, with the transposes folded into flags.
  matmul: ({ dy, y, x: [a, b] }) => {
    const { transA, transB } = y.params;
    return [
      () => (transA ? matmul(b, dy, { transA: transB, transB: true }) : matmul(dy, b, { transB: !transB })),
      () => (transB ? matmul(dy, a, { transA: true, transB: transA }) : matmul(a, dy, { transA: !transA })),
    ];
  },

  // dx: the transposed convolution, with the output padding that restores x's exact size
  // (the rows conv2d's floor dropped); dw: see convWeightGrad.
  conv2d: ({ dy, y, x: [a, w] }) => {
    const { stride, padding, dilation } = y.params;
    const lost = [0, 1].map((i) => (a.shape[2 + i] + padding[i] + padding[i + 2] - dilation[i] * (w.shape[2 + i] - 1) - 1) % stride[i]);
    const outputPadding: [number, number] = [lost[0], lost[1]];
    return [
      () => convTranspose2d(dy, w, { stride, padding, dilation, outputPadding }),
      () => swap01(convWeightGrad(a, dy, w.shape, y.params)),
    ];
  },
  // The adjoint pair swapped: dx = conv2d(dy, w) cropped to x's size; dw as for conv2d with x and dy exchanged.
  convTranspose2d: ({ dy, y, x: [a, w] }) => {
    const { stride, padding, dilation } = y.params;
    return [
      () => crop(conv2d(dy, w, { stride, padding, dilation }), a.shape[2], a.shape[3]),
      () => swap01(convWeightGrad(dy, a, w.shape, { stride, padding, dilation })),
    ];
  },
};
