/**
 * Lowering of each engine primitive to standard `ai.onnx` operators (opset 18). The table is typed
 * `{ [P in Primitive]: LowerRule<P> }`, so a new primitive fails `tsc` until it has a lowering.
 *
 * Every rule writes the value of one tensor under a name chosen by the model writer (`model.ts`);
 * auxiliary values (shape initializers, transposed operands) get fresh names from the context.
 * Operator semantics follow https://onnx.ai/onnx/operators/ at opset 18.
 */
import { fail } from '../ops.js';
import type { Primitive } from '../primitives.js';
import type { Tensor } from '../tensor.js';
import { emitFlippedTransposedWeights, emitNchwcConv, nchwcFits } from './nchwc.js';
import { attr, ONNX_DTYPE, tensorProto, type AttributeProto, type TensorProto } from './proto.js';

/** What a lowering rule may do to the graph being written. */
export interface LowerContext {
  /** Appends a node `opType(inputs) -> outputs` (of the default `ai.onnx` domain unless `domain` is given). */
  emit(opType: string, inputs: readonly string[], outputs: readonly string[], attributes?: AttributeProto[], domain?: string): void;
  /** A value name not used anywhere else in the graph, derived from `hint`. */
  fresh(hint: string): string;
  /** Adds an initializer (its `name` must come from {@link fresh} or be the rule's output). */
  initializer(t: TensorProto): void;
  /** Adds an int64 1-D initializer (shapes, axes, pads) named after `hint`; returns its name. */
  int64s(hint: string, values: readonly number[]): string;
  /**
   * The channel block of onnxruntime's blocked convolution kernels where the session may use them
   * (see `nchwc.ts`), 0 where the model must stay standard ONNX.
   */
  readonly nchwcBlock: number;
  /** Declares the leaf `t` (an `input` or `param`) as the graph value `name`. */
  leaf(t: Tensor<'input'> | Tensor<'param'>, name: string): void;
}

/**
 * Writes the ONNX nodes that compute `t` from the values named `inputs` (one per `t.inputs`) into
 * the value named `output`.
 */
export type LowerRule<P extends Primitive> = (t: Tensor<P>, inputs: readonly string[], output: string, ctx: LowerContext) => void;

/** `TensorProto.DataType.UINT8`, used only inside lowerings. */
const UINT8 = 2;

function unary(
  opType: string,
  floatOnly = false,
): LowerRule<'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'tanh' | 'sigmoid' | 'relu' | 'stopGradient'> {
  return (t, [x], y, ctx) => {
    if (t.dtype === 'bool' && opType !== 'Identity') fail(`onnx ${t.op}`, `ONNX ${opType} does not accept bool; cast first`);
    if (floatOnly && t.dtype !== 'float32') fail(`onnx ${t.op}`, `ONNX ${opType} needs float32, got ${t.dtype}`);
    ctx.emit(opType, [x], [y]);
  };
}

function binary(opType: string): LowerRule<'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'equal'> {
  return (_t, [a, b], y, ctx) => ctx.emit(opType, [a, b], [y]);
}

/** Less / Greater take no bool operands in ONNX: compare bools as 0/1 int64. */
function comparison(opType: 'Less' | 'Greater'): LowerRule<'less' | 'greater'> {
  return (t, [a, b], y, ctx) => {
    if (t.inputs[0].dtype !== 'bool') return ctx.emit(opType, [a, b], [y]);
    const [ia, ib] = [a, b].map((v) => {
      const c = ctx.fresh(`${v}/int64`);
      ctx.emit('Cast', [v], [c], [attr.int('to', ONNX_DTYPE.int64)]);
      return c;
    });
    ctx.emit(opType, [ia, ib], [y]);
  };
}

function reduce(opType: 'ReduceSum' | 'ReduceMax'): LowerRule<'sum' | 'max'> {
  return (t, [x], y, ctx) => {
    const axes = ctx.int64s(`${y}/axes`, t.params.axes);
    ctx.emit(opType, [x, axes], [y], [attr.int('keepdims', t.params.keepdims ? 1 : 0)]);
  };
}

/**
 * Σᵢ softplus(xᵢ) over the last axis (length D) without a Log per element, which onnxruntime computes one
 * at a time: softplus(x) = relu(x) − log σ(|x|), and since σ(|x|) ∈ [½, 1), a product of c ≤ 126 of them
 * stays within float32's normal range, so Σᵢ log σ(|xᵢ|) = Σ_chunks log Πᵢ σ(|xᵢ|) takes one Log per chunk
 * of c values (c the largest divisor of D up to 126). Kernels: Relu, Abs, Sigmoid (elementwise, vectorised),
 * ReduceProd and ReduceSum, and a Log over D/c values.
 */
const lowerSoftplusSum: LowerRule<'softplusSum'> = (t, [x], y, ctx) => {
  const shape = t.inputs[0].shape;
  const d = shape.at(-1)!;
  let c = Math.min(d, 126);
  while (d % c !== 0) c--;
  const last = ctx.int64s(`${y}/last`, [-1]);
  const v = (hint: string) => ctx.fresh(`${y}/${hint}`);
  const [relu, reluSum, abs, sig, chunks, prods, logs, logSum] = [
    'relu',
    'reluSum',
    'abs',
    'sigmoid',
    'chunks',
    'prods',
    'logs',
    'logSum',
  ].map(v);
  const keep0 = [attr.int('keepdims', 0)];
  ctx.emit('Relu', [x], [relu]);
  ctx.emit('ReduceSum', [relu, last], [reluSum], keep0);
  ctx.emit('Abs', [x], [abs]);
  ctx.emit('Sigmoid', [abs], [sig]);
  ctx.emit('Reshape', [sig, ctx.int64s(`${y}/chunked`, [...shape.slice(0, -1), d / c, c])], [chunks]);
  ctx.emit('ReduceProd', [chunks, last], [prods], keep0);
  ctx.emit('Log', [prods], [logs]);
  ctx.emit('ReduceSum', [logs, last], [logSum], keep0);
  ctx.emit('Sub', [reluSum, logSum], [y]);
};

/** Swaps the last two axes of `x` (of rank `rank`) into a fresh value. */
function swapLastTwo(ctx: LowerContext, x: string, rank: number, hint: string): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  const out = ctx.fresh(hint);
  ctx.emit('Transpose', [x], [out], [attr.ints('perm', perm)]);
  return out;
}

/** The ONNX lowering of every primitive. */
export const LOWER: { [P in Primitive]: LowerRule<P> } = {
  input: (t, _x, y, ctx) => ctx.leaf(t, y),
  param: (t, _x, y, ctx) => ctx.leaf(t, y),
  constant: (t, _x, y, ctx) => ctx.initializer(tensorProto(y, t.params.value, t.shape, t.dtype)),

  neg: unary('Neg'),
  exp: unary('Exp', true),
  log: unary('Log', true),
  sqrt: unary('Sqrt', true),
  abs: unary('Abs'),
  tanh: unary('Tanh', true),
  sigmoid: unary('Sigmoid', true),
  relu: unary('Relu', true),
  // softplus(x) = relu(x) − log σ(|x|): onnxruntime's own Softplus is a scalar loop, about twice the time of
  // these five vectorised kernels (Log aside); same float32 accuracy as max(x, 0) + log(1 + e^−|x|).
  softplus: (_t, [x], y, ctx) => {
    const [relu, abs, sig, logSig] = ['relu', 'abs', 'sigmoid', 'logSigmoid'].map((h) => ctx.fresh(`${y}/${h}`));
    ctx.emit('Relu', [x], [relu]);
    ctx.emit('Abs', [x], [abs]);
    ctx.emit('Sigmoid', [abs], [sig]);
    ctx.emit('Log', [sig], [logSig]);
    ctx.emit('Sub', [relu, logSig], [y]);
  },
  stopGradient: unary('Identity'),
  cast: (t, [x], y, ctx) => ctx.emit('Cast', [x], [y], [attr.int('to', ONNX_DTYPE[t.params.to])]),

  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  less: comparison('Less'),
  greater: comparison('Greater'),
  equal: binary('Equal'),
  where: (t, [c, a, b], y, ctx) => {
    if (t.dtype !== 'bool') return ctx.emit('Where', [c, a, b], [y]);
    // onnxruntime's CPU Where has no bool kernel: choose between uint8 copies, cast back.
    const [ua, ub] = [a, b].map((v) => {
      const u = ctx.fresh(`${v}/uint8`);
      ctx.emit('Cast', [v], [u], [attr.int('to', UINT8)]);
      return u;
    });
    const chosen = ctx.fresh(`${y}/uint8`);
    ctx.emit('Where', [c, ua, ub], [chosen]);
    ctx.emit('Cast', [chosen], [y], [attr.int('to', ONNX_DTYPE.bool)]);
  },

  sum: reduce('ReduceSum'),
  max: reduce('ReduceMax'),
  softplusSum: lowerSoftplusSum,

  reshape: (t, [x], y, ctx) => {
    const shape = ctx.int64s(`${y}/shape`, t.params.shape);
    // Without allowzero a 0 in the target shape would mean "copy this dim from the input".
    const allowzero = t.params.shape.includes(0) ? [attr.int('allowzero', 1)] : [];
    ctx.emit('Reshape', [x, shape], [y], allowzero);
  },
  transpose: (t, [x], y, ctx) => ctx.emit('Transpose', [x], [y], [attr.ints('perm', t.params.perm)]),
  expand: (t, [x], y, ctx) => ctx.emit('Expand', [x, ctx.int64s(`${y}/shape`, t.params.shape)], [y]),
  concat: (t, xs, y, ctx) => ctx.emit('Concat', xs, [y], [attr.int('axis', t.params.axis)]),
  slice: (t, [x], y, ctx) => {
    const { starts, ends } = t.params;
    const dims = t.inputs[0].shape;
    const axes = starts.map((_, i) => i).filter((i) => starts[i] !== 0 || ends[i] !== dims[i]);
    if (axes.length === 0) return ctx.emit('Identity', [x], [y]);
    const s = ctx.int64s(
      `${y}/starts`,
      axes.map((i) => starts[i]),
    );
    const e = ctx.int64s(
      `${y}/ends`,
      axes.map((i) => ends[i]),
    );
    ctx.emit('Slice', [x, s, e, ctx.int64s(`${y}/axes`, axes)], [y]);
  },
  pad: (t, [x], y, ctx) => {
    // ONNX pads: all begins, then all ends.
    const pads = ctx.int64s(`${y}/pads`, [...t.params.before, ...t.params.after]);
    ctx.emit('Pad', [x, pads], [y], [attr.string('mode', 'constant')]);
  },
  gather: (t, [x, i], y, ctx) => ctx.emit('Gather', [x, i], [y], [attr.int('axis', t.params.axis)]),
  scatterAdd: (t, [u, i], y, ctx) => {
    // ScatterElements(zeros, indices broadcast to updates' shape, updates, reduction='add'):
    // out[.., idx[j], ..] += updates[.., j, ..], repeated indices accumulate.
    const { axis } = t.params;
    const updates = t.inputs[0];
    const zeros = ctx.fresh(`${y}/zeros`);
    const zero = tensorProto('', [0], [1], t.dtype);
    ctx.emit('ConstantOfShape', [ctx.int64s(`${y}/shape`, t.shape)], [zeros], [attr.tensor('value', zero)]);
    const column = updates.shape.map((d, k) => (k === axis ? d : 1));
    const reshaped = ctx.fresh(`${y}/indices`);
    ctx.emit('Reshape', [i, ctx.int64s(`${y}/indices_shape`, column)], [reshaped]);
    const expanded = ctx.fresh(`${y}/indices_expanded`);
    ctx.emit('Expand', [reshaped, ctx.int64s(`${y}/updates_shape`, updates.shape)], [expanded]);
    ctx.emit('ScatterElements', [zeros, expanded, u], [y], [attr.int('axis', axis), attr.string('reduction', 'add')]);
  },

  matmul: (t, [a, b], y, ctx) => {
    const { transA, transB } = t.params;
    const [ra, rb] = [t.inputs[0].rank, t.inputs[1].rank];
    if (!transA && !transB) return ctx.emit('MatMul', [a, b], [y]);
    if (ra === 2 && rb === 2) {
      // Gemm reads transposed operands in place (MLAS handles the layouts without a copy).
      return ctx.emit('Gemm', [a, b], [y], [attr.int('transA', transA ? 1 : 0), attr.int('transB', transB ? 1 : 0)]);
    }
    const aa = transA ? swapLastTwo(ctx, a, ra, `${y}/aT`) : a;
    const bb = transB ? swapLastTwo(ctx, b, rb, `${y}/bT`) : b;
    ctx.emit('MatMul', [aa, bb], [y]);
  },
  conv2d: lowerConv2d,
  convTranspose2d: lowerConvTranspose2d,
};

/** What a convolution's node computes after the convolution itself (see `epilogue.ts`). */
export interface ConvEpilogueNames {
  /** The value name of the 1-D bias [C]. */
  readonly bias: string;
  /** Whether a ReLU follows the bias. */
  readonly relu: boolean;
}

/**
 * Writes a standard Conv or ConvTranspose (`opType`) with the epilogue's bias as its third input; the
 * ReLU, which standard ONNX cannot attach to the node, follows as its own Relu.
 */
function emitStandardConv(
  ctx: LowerContext,
  opType: 'Conv' | 'ConvTranspose',
  [x, w]: readonly string[],
  y: string,
  attributes: AttributeProto[],
  epilogue: ConvEpilogueNames | undefined,
): void {
  if (!epilogue) return ctx.emit(opType, [x, w], [y], attributes);
  const out = epilogue.relu ? ctx.fresh(`${y}/pre_relu`) : y;
  ctx.emit(opType, [x, w, epilogue.bias], [out], attributes);
  if (epilogue.relu) ctx.emit('Relu', [out], [y]);
}

/** conv2d, blocked where the kernels fit (`nchwc.ts`), with an optional bias and ReLU epilogue. */
export function lowerConv2d(
  t: Tensor<'conv2d'>,
  [x, w]: readonly string[],
  y: string,
  ctx: LowerContext,
  epilogue?: ConvEpilogueNames,
): void {
  const { stride, padding, dilation } = t.params;
  const kernel = t.inputs[1].shape.slice(2);
  // Engine padding [top, left, bottom, right] is ONNX's [x1_begin, x2_begin, x1_end, x2_end].
  const conv = [
    attr.ints('kernel_shape', kernel),
    attr.ints('pads', padding),
    attr.ints('strides', stride),
    attr.ints('dilations', dilation),
  ];
  const [outChannels, inChannels] = t.inputs[1].shape;
  if (nchwcFits(ctx.nchwcBlock, inChannels, outChannels, kernel)) {
    return emitNchwcConv(ctx, ctx.nchwcBlock, [x, w], y, t.inputs[1].shape, conv, epilogue);
  }
  emitStandardConv(ctx, 'Conv', [x, w], y, conv, epilogue);
}

/** convTranspose2d, as the flipped-kernel blocked convolution where that fits, with an optional epilogue. */
export function lowerConvTranspose2d(
  t: Tensor<'convTranspose2d'>,
  [x, w]: readonly string[],
  y: string,
  ctx: LowerContext,
  epilogue?: ConvEpilogueNames,
): void {
  const { stride, padding, dilation, outputPadding } = t.params;
  const [inChannels, outChannels, kH, kW] = t.inputs[1].shape;
  // A stride-1 transposed convolution is the convolution with the flipped, transposed kernel and
  // padding k − 1 − p on each side; where the blocked kernels fit, that runs faster than ConvTranspose.
  const flippedPadding = padding.map((p, i) => (i % 2 === 0 ? kH : kW) - 1 - p);
  const asConv =
    stride.every((s) => s === 1) &&
    dilation.every((d) => d === 1) &&
    outputPadding.every((o) => o === 0) &&
    flippedPadding.every((p) => p >= 0) &&
    nchwcFits(ctx.nchwcBlock, inChannels, outChannels, [kH, kW]);
  if (asConv) {
    const flipped = emitFlippedTransposedWeights(ctx, w, y, [kH, kW]);
    const conv = [attr.ints('kernel_shape', [kH, kW]), attr.ints('pads', flippedPadding)];
    return emitNchwcConv(ctx, ctx.nchwcBlock, [x, flipped], y, [outChannels, inChannels, kH, kW], conv, epilogue);
  }
  const attributes = [
    attr.ints('kernel_shape', [kH, kW]),
    attr.ints('pads', padding),
    attr.ints('strides', stride),
    attr.ints('dilations', dilation),
    attr.ints('output_padding', outputPadding),
  ];
  emitStandardConv(ctx, 'ConvTranspose', [x, w], y, attributes, epilogue);
}
