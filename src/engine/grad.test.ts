import { describe, expect, it } from 'vitest';
import * as cp from './composite.js';
import { grad, unbroadcast } from './grad.js';
import * as op from './ops.js';
import { Parameter } from './parameter.js';
import { PRIMITIVES, type Primitive } from './primitives.js';
import { Random } from './random.js';
import { interpret } from './reference.js';
import { type Tensor, topologicalOrder } from './tensor.js';
import { type ArgSpec, checkGradient, expectGradient, type LeafValues } from './testing/finiteDifference.js';

// ---------------------------------------------------------------------------------------------
// Argument helpers

const rng = new Random(42);
/** Uniform in [lo, hi]. */
const arg = (shape: number[], lo = -2, hi = 2): ArgSpec => ({ shape, range: [lo, hi] });
/** Values of either sign with |x| in [0.2, 2]: away from the kinks of abs, relu, maximum(x, 0), ... */
const signed = (shape: number[]): ArgSpec => ({
  shape,
  values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + 1.8 * rng.uniform())),
});
const fixed = (values: number[], shape: number[] = [values.length]): ArgSpec => ({ shape, values });
const int64 = (values: number[]): Tensor => op.constant(values, [values.length], 'int64');

interface Case {
  name: string;
  f: (...xs: Tensor[]) => Tensor;
  args: ArgSpec[];
}

// ---------------------------------------------------------------------------------------------
// One or more finite-difference cases per differentiable primitive. The table's type makes tsc
// fail when a primitive is added without a case; the test below checks each case uses its op.

/** Leaves, and ops whose gradient is zero/absent by definition (tested separately below). */
type NonDifferentiable = 'input' | 'param' | 'constant' | 'stopGradient' | 'less' | 'greater' | 'equal';
const NON_DIFFERENTIABLE: readonly NonDifferentiable[] = ['input', 'param', 'constant', 'stopGradient', 'less', 'greater', 'equal'];

const conv = (stride: number | [number, number], padding: op.Conv2dOptions['padding'], dilation: number | [number, number] = 1) => ({
  stride,
  padding,
  dilation,
});

const primitiveCases: { [P in Exclude<Primitive, NonDifferentiable>]: Case[] } = {
  neg: [{ name: 'neg', f: op.neg, args: [arg([3, 2])] }],
  exp: [{ name: 'exp', f: op.exp, args: [arg([3, 2])] }],
  log: [{ name: 'log', f: op.log, args: [arg([3, 2], 0.3, 3)] }],
  sqrt: [{ name: 'sqrt', f: op.sqrt, args: [arg([3, 2], 0.3, 3)] }],
  abs: [{ name: 'abs', f: op.abs, args: [signed([3, 2])] }],
  tanh: [{ name: 'tanh', f: op.tanh, args: [arg([3, 2])] }],
  sigmoid: [{ name: 'sigmoid', f: op.sigmoid, args: [arg([3, 2], -4, 4)] }],
  relu: [{ name: 'relu', f: op.relu, args: [signed([6])] }],
  softplus: [
    { name: 'softplus', f: op.softplus, args: [arg([3, 2], -4, 4)] },
    { name: 'softplus at large |x| and at 0', f: op.softplus, args: [fixed([-40, -12, -3, -0.5, 0, 0.5, 3, 12, 40])] },
  ],
  // float -> float casts are elided; a bool -> float mask is a cast on the path that carries no gradient.
  cast: [{ name: 'x · cast(x > 0)', f: (x) => op.mul(x, op.cast(op.greater(x, 0), 'float32')), args: [signed([5])] }],
  add: [{ name: 'add [3,1,4] + [5,1]', f: op.add, args: [arg([3, 1, 4]), arg([5, 1])] }],
  sub: [{ name: 'sub [5,1] - [3,1,4]', f: op.sub, args: [arg([5, 1]), arg([3, 1, 4])] }],
  mul: [
    { name: 'mul [3,1,4] * [5,1]', f: op.mul, args: [arg([3, 1, 4]), arg([5, 1])] },
    { name: 'mul by a scalar input', f: op.mul, args: [arg([2, 3]), arg([])] },
  ],
  div: [{ name: 'div [2,3] / [3]', f: op.div, args: [arg([2, 3]), arg([3], 0.5, 2)] }],
  pow: [
    { name: 'pow a^b, both operands', f: op.pow, args: [arg([2, 3], 0.3, 2), arg([3], -2, 2)] },
    { name: 'pow x^3, negative base', f: (x) => op.pow(x, 3), args: [signed([4])] },
  ],
  maximum: [{ name: 'maximum with broadcasting', f: op.maximum, args: [arg([3, 4]), arg([4])] }],
  minimum: [{ name: 'minimum with broadcasting', f: op.minimum, args: [arg([4]), arg([3, 4])] }],
  where: [
    {
      name: 'where(x > 0, x·y, exp(y))',
      f: (x, y) => op.where(op.greater(x, 0), op.mul(x, y), op.exp(y)),
      args: [signed([2, 3]), arg([3])],
    },
  ],
  sum: [
    { name: 'sum all', f: (x) => op.sum(x), args: [arg([2, 3, 4])] },
    { name: 'sum axes [0,2]', f: (x) => op.sum(x, [0, 2]), args: [arg([2, 3, 4])] },
    { name: 'sum axis 1 keepdims', f: (x) => op.sum(x, 1, true), args: [arg([2, 3, 4])] },
  ],
  softplusSum: [
    { name: 'softplusSum [3,5]', f: op.softplusSum, args: [arg([3, 5], -4, 4)] },
    { name: 'softplusSum [2,3,4] far from 0', f: op.softplusSum, args: [fixed([-30, -9, -2, 0, 1e-3, 2, 9, 30], [2, 4])] },
  ],
  max: [
    { name: 'max axis 1', f: (x) => op.max(x, 1), args: [arg([3, 4, 2])] },
    { name: 'max axes [0,2] keepdims', f: (x) => op.max(x, [0, 2], true), args: [arg([3, 4, 2])] },
  ],
  reshape: [{ name: 'reshape', f: (x) => op.exp(op.reshape(x, [3, 4])), args: [arg([2, 6])] }],
  transpose: [{ name: 'transpose [2,0,1]', f: (x) => op.transpose(x, [2, 0, 1]), args: [arg([2, 3, 4])] }],
  expand: [{ name: 'expand [3,1] -> [2,3,4]', f: (x) => op.expand(x, [2, 3, 4]), args: [arg([3, 1])] }],
  concat: [{ name: 'concat axis 1', f: (a, b) => op.concat([a, op.exp(b), a], 1), args: [arg([2, 2]), arg([2, 3])] }],
  slice: [{ name: 'slice', f: (x) => op.slice(op.slice(x, 0, 1, 3), 1, 1), args: [arg([4, 3])] }],
  pad: [{ name: 'pad', f: (x) => op.pad(x, [1, 0], [2, 3]), args: [arg([2, 3])] }],
  gather: [{ name: 'gather with repeats', f: (x) => op.gather(x, int64([2, 0, 2, -1]), 1), args: [arg([2, 4])] }],
  scatterAdd: [{ name: 'scatterAdd with repeats', f: (u) => op.scatterAdd(u, int64([1, 0, 1]), 0, 4), args: [arg([3, 2])] }],
  matmul: [
    { name: 'matmul', f: (a, b) => op.matmul(a, b), args: [arg([3, 4]), arg([4, 2])] },
    { name: 'matmul transA', f: (a, b) => op.matmul(a, b, { transA: true }), args: [arg([4, 3]), arg([4, 2])] },
    { name: 'matmul transB', f: (a, b) => op.matmul(a, b, { transB: true }), args: [arg([3, 4]), arg([2, 4])] },
    { name: 'matmul transA transB', f: (a, b) => op.matmul(a, b, { transA: true, transB: true }), args: [arg([4, 3]), arg([2, 4])] },
    { name: 'matmul batched broadcast [2,1,3,4] x [3,4,2]', f: (a, b) => op.matmul(a, b), args: [arg([2, 1, 3, 4]), arg([3, 4, 2])] },
    {
      name: 'matmul batched broadcast, both transposed',
      f: (a, b) => op.matmul(a, b, { transA: true, transB: true }),
      args: [arg([3, 4, 3]), arg([2, 1, 2, 4])],
    },
  ],
  conv2d: [
    { name: 'conv2d plain', f: (x, w) => op.conv2d(x, w), args: [arg([2, 2, 5, 4]), arg([3, 2, 3, 2])] },
    { name: 'conv2d stride 2, pad 1', f: (x, w) => op.conv2d(x, w, conv(2, 1)), args: [arg([2, 2, 7, 6]), arg([3, 2, 3, 3])] },
    {
      name: 'conv2d asymmetric padding, stride (2,1)',
      f: (x, w) => op.conv2d(x, w, conv([2, 1], [2, 0, 1, 1])),
      args: [arg([1, 2, 6, 5]), arg([2, 2, 3, 2])],
    },
    {
      name: 'conv2d large bottom padding (cropped weight gradient)',
      f: (x, w) => op.conv2d(x, w, conv(2, [0, 1, 3, 0])),
      args: [arg([1, 1, 5, 5]), arg([2, 1, 2, 2])],
    },
    {
      name: 'conv2d dilation 2, stride 2',
      f: (x, w) => op.conv2d(x, w, conv(2, [1, 2, 0, 1], 2)),
      args: [arg([1, 2, 8, 9]), arg([2, 2, 3, 2])],
    },
  ],
  convTranspose2d: [
    { name: 'convTranspose2d plain', f: (x, w) => op.convTranspose2d(x, w), args: [arg([2, 2, 3, 4]), arg([2, 3, 2, 3])] },
    {
      name: 'convTranspose2d stride 2, pad 1, output padding 1',
      f: (x, w) => op.convTranspose2d(x, w, { ...conv(2, 1), outputPadding: 1 }),
      args: [arg([1, 2, 3, 3]), arg([2, 2, 3, 3])],
    },
    {
      name: 'convTranspose2d asymmetric padding, stride (2,3), output padding (1,2)',
      f: (x, w) => op.convTranspose2d(x, w, { ...conv([2, 3], [1, 0, 0, 2]), outputPadding: [1, 2] }),
      args: [arg([2, 1, 3, 2]), arg([1, 2, 3, 3])],
    },
    {
      name: 'convTranspose2d dilation 2, output padding 1 (crops the input gradient)',
      f: (x, w) => op.convTranspose2d(x, w, { ...conv(1, [0, 1, 1, 0], 2), outputPadding: 1 }),
      args: [arg([1, 2, 3, 3]), arg([2, 2, 2, 3])],
    },
  ],
};

const compositeCases: Case[] = [
  { name: 'square', f: cp.square, args: [arg([4])] },
  { name: 'mean over axis 1', f: (x) => cp.mean(x, 1), args: [arg([2, 5])] },
  { name: 'mean all', f: (x) => cp.mean(x), args: [arg([2, 5])] },
  { name: 'leakyRelu', f: (x) => cp.leakyRelu(x, 0.1), args: [signed([6])] },
  { name: 'elu', f: (x) => cp.elu(x, 1.5), args: [signed([6])] },
  { name: 'logSigmoid', f: cp.logSigmoid, args: [fixed([-40, -5, -0.7, 0.4, 6, 40])] },
  { name: 'clamp', f: (x) => cp.clamp(x, -1, 1), args: [fixed([-1.7, -0.4, 0.3, 0.9, 1.5])] },
  { name: 'reciprocal', f: cp.reciprocal, args: [arg([4], 0.5, 3)] },
  { name: 'logsumexp axis 1', f: (x) => cp.logsumexp(x, 1), args: [arg([3, 5], -5, 5)] },
  {
    name: 'logsumexp all, keepdims, large values',
    f: (x) => cp.logsumexp(x, undefined, true),
    args: [fixed([100, 101, 99.5, 98], [2, 2])],
  },
  { name: 'softmax', f: (x) => cp.softmax(x), args: [arg([3, 4])] },
  { name: 'logSoftmax axis 0', f: (x) => cp.logSoftmax(x, 0), args: [arg([3, 4])] },
];

describe('grad against finite differences: primitives', () => {
  for (const [prim, cases] of Object.entries(primitiveCases) as [Primitive, Case[]][]) {
    for (const k of cases) {
      it(k.name, () => {
        const xs = k.args.map((a, i) => op.input(`probe${i}`, a.shape));
        const ops = new Set(topologicalOrder([k.f(...xs)]).map((t) => t.op));
        expect(ops.has(prim), `case "${k.name}" does not use ${prim}`).toBe(true);
        expectGradient(k.f, k.args);
      });
    }
  }

  it('every differentiable primitive has a finite-difference case', () => {
    const missing = PRIMITIVES.filter(
      (p) => !(NON_DIFFERENTIABLE as readonly string[]).includes(p) && !(primitiveCases as Record<string, Case[] | undefined>)[p]?.length,
    );
    expect(missing).toEqual([]);
  });
});

describe('grad against finite differences: composites', () => {
  for (const k of compositeCases) it(k.name, () => void expectGradient(k.f, k.args));
});

describe('grad: structure and special cases', () => {
  const at = (ts: Tensor[], feeds: Record<string, number[]>): number[][] => interpret(ts, feeds).map((v) => Array.from(v));

  it('sums the cotangents of a value used several times', () => {
    const x = op.input('x', [3]);
    const y = op.sum(op.add(op.mul(x, x), x)); // d/dx Σ(x² + x) = 2x + 1
    expect(at(grad(y, [x]), { x: [1, -2, 0.5] })).toEqual([[3, -3, 2]]);
  });

  it('gives zeros for an unconnected input and through stopGradient, comparisons and int casts', () => {
    const x = op.input('x', [2, 2]);
    const z = op.input('z', [3]);
    const y = op.sum(op.add(op.exp(op.stopGradient(x)), op.cast(op.cast(op.mul(x, 3), 'int64'), 'float32')));
    const [gx, gz] = grad(op.add(y, op.sum(op.cast(op.less(x, 0), 'float32'))), [x, z]);
    expect(gx.shape).toEqual([2, 2]);
    expect(gz.shape).toEqual([3]);
    expect(at([gx, gz], { x: [1, 2, 3, 4] })).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0],
    ]);
    // Unconnected gradients are constant zeros, with no input leaves.
    expect(topologicalOrder([gx, gz]).some((t) => t.op === 'input')).toBe(false);
  });

  it('builds no gradient nodes for tensors that do not need one', () => {
    const x = op.input('x', [4, 3]);
    const w = op.param(new Parameter('w', [3, 5]));
    const y = op.sum(op.matmul(x, w));
    const [gx] = grad(y, [x]);
    // Only dx = dy wᵀ is built; dw = xᵀ dy is not.
    expect(topologicalOrder([gx]).filter((t) => t.op === 'matmul' && t.id > y.id).length).toBe(1);
  });

  it('gives gradients with respect to intermediate tensors and honours dy', () => {
    const x = op.input('x', [2]);
    const h = op.exp(x);
    const y = op.mul(h, 3);
    const dy = op.constant([1, -2], [2]);
    const [gh, gx] = grad(y, [h, x], dy);
    const e = [Math.exp(0.5), Math.exp(-1)];
    const [vh, vx] = at([gh, gx], { x: [0.5, -1] });
    expect(vh).toEqual([3, -6]);
    expect(vx[0]).toBeCloseTo(3 * e[0], 12);
    expect(vx[1]).toBeCloseTo(-6 * e[1], 12);
  });

  it('joins the cotangents of side-by-side slices with one concat (no pads summed), and stays correct', () => {
    // Three parts of axis 1 used in different ways, as a gated layer uses its two halves.
    const f = (x: Tensor): Tensor =>
      op.sum(op.add(op.mul(op.slice(x, 1, 0, 2), op.tanh(op.slice(x, 1, 2, 4))), op.exp(op.slice(x, 1, 4, 5))));
    expectGradient(f, [arg([2, 5, 3])]);
    const x = op.input('x', [2, 5, 3]);
    const [g] = grad(f(x), [x]);
    const ops = topologicalOrder([g]).map((t) => t.op);
    expect(ops).toContain('concat');
    expect(ops).not.toContain('pad');
    // Parts with a gap between them still add their padded cotangents.
    const gapped = (t: Tensor): Tensor => op.sum(op.add(op.exp(op.slice(t, 1, 0, 2)), op.exp(op.slice(t, 1, 3, 5))));
    expectGradient(gapped, [arg([2, 5, 3])]);
  });

  it('splits the gradient of max evenly among ties', () => {
    const x = op.input('x', [2, 4]);
    const [g] = grad(op.max(x, 1), [x]);
    expect(at([g], { x: [1, 3, 3, 2, 5, 5, 5, 5] })).toEqual([[0, 0.5, 0.5, 0, 0.25, 0.25, 0.25, 0.25]]);
  });

  it('gives ties of maximum and minimum to the first operand', () => {
    const a = op.input('a', [2]);
    const b = op.input('b', [2]);
    const gMax = grad(op.sum(op.maximum(a, b)), [a, b]);
    const gMin = grad(op.sum(op.minimum(a, b)), [a, b]);
    expect(at([...gMax, ...gMin], { a: [1, 2], b: [1, 3] })).toEqual([
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ]);
  });

  it('unbroadcast sums leading and size-1 axes', () => {
    const g = op.input('g', [2, 3, 4]);
    const r = unbroadcast(g, [3, 1]);
    expect(r.shape).toEqual([3, 1]);
    const vals = Array.from({ length: 24 }, (_, i) => i);
    const want = [0, 1, 2].map((j) => [0, 1].reduce((s, i) => s + [0, 1, 2, 3].reduce((t, k) => t + vals[i * 12 + j * 4 + k], 0), 0));
    expect(at([r], { g: vals })).toEqual([want]);
    expect(() => unbroadcast(g, [5, 4])).toThrow(/does not broadcast/);
  });

  it('rejects a non-float output and a dy of the wrong shape', () => {
    const x = op.input('x', [2]);
    expect(() => grad(op.less(x, 0), [x])).toThrow(/float32/);
    expect(() => grad(op.exp(x), [x], op.constant([1, 2, 3], [3]))).toThrow(/shaped like y/);
  });
});

describe('grad: a small MLP loss end to end', () => {
  it('linear-relu-linear-sigmoid binary cross-entropy matches finite differences for every parameter', () => {
    const r = new Random(3);
    const normal = (n: number, s: number): Float64Array => Float64Array.from({ length: n }, () => r.normal() * s);
    const W1 = new Parameter('fc1.weight', [4, 6]);
    const b1 = new Parameter('fc1.bias', [6]);
    const W2 = new Parameter('fc2.weight', [6, 1]);
    const b2 = new Parameter('fc2.bias', [1]);
    const x = op.input('x', [5, 4]);
    const t = op.input('t', [5, 1]);
    const h = op.relu(op.add(op.matmul(x, op.param(W1)), op.param(b1)));
    const p = op.sigmoid(op.add(op.matmul(h, op.param(W2)), op.param(b2)));
    const bce = op.add(op.mul(t, op.log(p)), op.mul(op.sub(1, t), op.log(op.sub(1, p))));
    const loss = op.neg(cp.mean(bce));

    const leaves: LeafValues = new Map<Tensor, Float64Array>([
      [op.param(W1), normal(24, 0.7)],
      [op.param(b1), normal(6, 0.3)],
      [op.param(W2), normal(6, 0.7)],
      [op.param(b2), normal(1, 0.3)],
      [x, normal(20, 1)],
      [t, Float64Array.from({ length: 5 }, () => (r.uniform() < 0.5 ? 0 : 1))],
    ]);
    const result = checkGradient(loss, leaves);
    expect(result.ok, result.message).toBe(true);
    // Some hidden units are inactive, so the relu mask matters.
    const pre = interpret(
      [op.add(op.matmul(x, op.param(W1)), op.param(b1))],
      { x: leaves.get(x) as Float64Array },
      {
        params: new Map([
          [W1, leaves.get(op.param(W1)) as Float64Array],
          [b1, leaves.get(op.param(b1)) as Float64Array],
        ]),
      },
    )[0];
    expect(pre.some((v) => v < 0) && pre.some((v) => v > 0)).toBe(true);
  });
});
