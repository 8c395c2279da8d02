import { afterAll, describe, expect, it } from 'vitest';
import { Parameter } from './parameter.js';
import * as op from './ops.js';
import { PRIMITIVES, type Primitive } from './primitives.js';
import { Random } from './random.js';
import { interpret } from './reference.js';
import { type Tensor, topologicalOrder } from './tensor.js';

type DT = 'float32' | 'int64' | 'bool';
const c = (values: number[], shape: number[] = [values.length], dtype: DT = 'float32'): Tensor => op.constant(values, shape, dtype);

/** Every primitive some test evaluated, to check at the end that all were. */
const covered = new Set<Primitive>();
function value(t: Tensor, feeds: Record<string, ArrayLike<number>> = {}): number[] {
  for (const n of topologicalOrder([t])) covered.add(n.op);
  return Array.from(interpret([t], feeds)[0]);
}
const close = (got: number[], want: number[], digits = 12): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

describe('reference interpreter: leaves', () => {
  it('reads feeds, parameters (overridable) and constants', () => {
    const x = op.input('x', [2]);
    const p = new Parameter('w', [2], Float32Array.of(3, 4));
    const y = op.add(x, op.param(p));
    expect(value(y, { x: [1, 2] })).toEqual([4, 6]);
    expect(Array.from(interpret([y], { x: [1, 2] }, { params: new Map([[p, [10, 20]]]) })[0])).toEqual([11, 22]);
    expect(value(c([1.5, 2.5]))).toEqual([1.5, 2.5]);
  });

  it('names the input when a feed is missing or has the wrong length', () => {
    const x = op.input('pixels', [2, 3]);
    expect(() => interpret([op.exp(x)], {})).toThrow(/input 'pixels'.*\[2,3\]/);
    expect(() => interpret([op.exp(x)], { pixels: [1, 2] })).toThrow(/input 'pixels' has 2 values.*needs 6/);
  });

  it('returns fresh arrays for several outputs', () => {
    const k = c([1, 2]);
    const [a, b] = interpret([k, op.neg(k)], {});
    a[0] = 99;
    expect(Array.from(interpret([k], {})[0])).toEqual([1, 2]);
    expect(Array.from(b)).toEqual([-1, -2]);
  });
});

describe('reference interpreter: elementwise', () => {
  const x = c([-1, 0.5, 2]);
  it('unary ops', () => {
    expect(value(op.neg(x))).toEqual([1, -0.5, -2]);
    close(value(op.exp(x)), [Math.exp(-1), Math.exp(0.5), Math.exp(2)]);
    close(value(op.log(c([1, Math.E, 4]))), [0, 1, Math.log(4)]);
    close(value(op.sqrt(c([4, 2, 0]))), [2, Math.SQRT2, 0]);
    expect(value(op.abs(x))).toEqual([1, 0.5, 2]);
    close(value(op.tanh(x)), [Math.tanh(-1), Math.tanh(0.5), Math.tanh(2)]);
    close(value(op.sigmoid(c([0, 2]))), [0.5, 1 / (1 + Math.exp(-2))]);
    // log(1 + eˣ): ln 2 at 0, x + e⁻ˣ (to 1e-44) at 100, e⁻¹⁰⁰ (not 0) at −100.
    expect(value(op.relu(x))).toEqual([0, 0.5, 2]);
    const [at0, at100, atMinus100] = value(op.softplus(c([0, 100, -100])));
    close([at0, at100, atMinus100 / Math.exp(-100)], [Math.LN2, 100, 1]);
    expect(value(op.stopGradient(x))).toEqual([-1, 0.5, 2]);
  });

  it('casts truncate toward zero and map non-zero to true', () => {
    expect(value(op.cast(c([-1.7, 0, 2.9]), 'int64'))).toEqual([-1, 0, 2]);
    expect(value(op.cast(c([-1.7, 0, 2.9]), 'bool'))).toEqual([1, 0, 1]);
    expect(value(op.cast(op.less(c([1, 3]), c([2, 2])), 'float32'))).toEqual([1, 0]);
  });

  it('binary ops with broadcasting: [3,1,2] with [2,1] gives [3,2,2]', () => {
    const a = c([1, 2, 3, 4, 5, 6], [3, 1, 2]);
    const b = c([10, 20], [2, 1]);
    // out[i,j,k] = a[i,0,k] + b[j,0]
    expect(value(op.add(a, b))).toEqual([11, 12, 21, 22, 13, 14, 23, 24, 15, 16, 25, 26]);
    expect(value(op.sub(a, b))).toEqual([-9, -8, -19, -18, -7, -6, -17, -16, -5, -4, -15, -14]);
    expect(value(op.mul(c([1, 2, 3]), 2))).toEqual([2, 4, 6]);
    expect(value(op.div(c([1, 2, 3]), c([2, 4, 8])))).toEqual([0.5, 0.5, 0.375]);
    expect(value(op.div(c([7, -7], [2], 'int64'), c([2], [1], 'int64')))).toEqual([3, -3]);
    close(value(op.pow(c([2, 9, 4]), c([3, 0.5, -1]))), [8, 3, 0.25]);
    expect(value(op.maximum(c([1, 5, -2]), c([3, 2, -2])))).toEqual([3, 5, -2]);
    expect(value(op.minimum(c([1, 5, -2]), c([3, 2, -2])))).toEqual([1, 2, -2]);
    expect(value(op.less(c([1, 2, 3]), 2))).toEqual([1, 0, 0]);
    expect(value(op.greater(c([1, 2, 3]), 2))).toEqual([0, 0, 1]);
    expect(value(op.equal(c([1, 2, 3]), 2))).toEqual([0, 1, 0]);
  });

  it('where broadcasts all three operands', () => {
    const cond = c([1, 0], [2, 1], 'bool');
    expect(value(op.where(cond, c([1, 2, 3]), -1))).toEqual([1, 2, 3, -1, -1, -1]);
  });
});

describe('reference interpreter: reductions', () => {
  const x = c([1, 5, 3, 4, 2, 6], [2, 3]);
  it('sum and max over axes, with and without keepdims', () => {
    expect(value(op.sum(x))).toEqual([21]);
    expect(value(op.sum(x, 0))).toEqual([5, 7, 9]);
    expect(value(op.sum(x, 1, true))).toEqual([9, 12]);
    expect(op.sum(x, 1, true).shape).toEqual([2, 1]);
    expect(value(op.max(x, 1))).toEqual([5, 6]);
    expect(value(op.max(x, 0, true))).toEqual([4, 5, 6]);
    expect(value(op.max(c([-3, -1, -2])))).toEqual([-1]);
  });
  it('softplusSum: Σ over the last axis of log(1 + eˣ)', () => {
    const sp = (v: number) => Math.log(1 + Math.exp(v));
    close(value(op.softplusSum(x)), [sp(1) + sp(5) + sp(3), sp(4) + sp(2) + sp(6)]);
    expect(op.softplusSum(x).shape).toEqual([2]);
  });
  it('reduces inner and outer axes of a 3-D tensor', () => {
    const y = c([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    expect(value(op.sum(y, [0, 2]))).toEqual([0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11]);
    expect(value(op.max(y, [1]))).toEqual([4, 5, 10, 11]);
  });
});

describe('reference interpreter: shape and indexing', () => {
  const x = c([0, 1, 2, 3, 4, 5], [2, 3]);
  it('reshape, transpose, expand', () => {
    expect(value(op.reshape(x, [3, 2]))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(value(op.transpose(x))).toEqual([0, 3, 1, 4, 2, 5]);
    const y = c([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], [2, 3, 4]);
    // out[i,j,k] = y[j,k,i] for perm [2,0,1]
    const t = value(op.transpose(y, [2, 0, 1]));
    expect(t.slice(0, 6)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(t[23]).toBe(23);
    expect(value(op.expand(c([1, 2], [2, 1]), [2, 3]))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(value(op.expand(c([1, 2]), [2, 2]))).toEqual([1, 2, 1, 2]);
  });
  it('concat, slice, pad', () => {
    expect(value(op.concat([x, c([9, 8], [2, 1])], 1))).toEqual([0, 1, 2, 9, 3, 4, 5, 8]);
    expect(value(op.concat([x, c([9, 8, 7], [1, 3])], 0))).toEqual([0, 1, 2, 3, 4, 5, 9, 8, 7]);
    expect(value(op.slice(x, 1, 1, 3))).toEqual([1, 2, 4, 5]);
    expect(value(op.slice(x, 0, 1))).toEqual([3, 4, 5]);
    expect(value(op.pad(c([1, 2], [1, 2]), [1, 0], [0, 2]))).toEqual([0, 0, 0, 0, 1, 2, 0, 0]);
  });
  it('gather and scatterAdd along an axis, negative indices from the end', () => {
    const idx = c([2, 0, -1], [3], 'int64');
    expect(value(op.gather(x, idx, 1))).toEqual([2, 0, 2, 5, 3, 5]);
    expect(value(op.gather(x, c([1], [1], 'int64'), 0))).toEqual([3, 4, 5]);
    // out[:, idx[j]] += u[:, j]; index 2 receives twice; -1 is the last of `size`.
    const twice = c([2, 0, 2], [3], 'int64');
    expect(value(op.scatterAdd(c([1, 2, 3, 4, 5, 6], [2, 3]), twice, 1, 4))).toEqual([2, 0, 1 + 3, 0, 5, 0, 4 + 6, 0]);
    expect(value(op.scatterAdd(c([1, 2, 3, 4, 5, 6], [2, 3]), idx, 1, 4))).toEqual([2, 0, 1, 3, 5, 0, 4, 6]);
    expect(() => interpret([op.gather(x, c([3], [1], 'int64'), 1)], {})).toThrow(/gather: index 3 out of range/);
  });
});

// ---------------------------------------------------------------------------------------------
// Linear algebra, checked against loops written differently (explicit transposes, im2col).

function randomValues(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => Math.round((rng.uniform() * 4 - 2) * 8) / 8);
}

describe('reference interpreter: matmul', () => {
  it('2x3 @ 3x2 by hand', () => {
    const a = c([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = c([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(value(op.matmul(a, b))).toEqual([58, 64, 139, 154]);
    // aᵀ a: [3,3]
    expect(value(op.matmul(a, a, { transA: true }))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // a aᵀ: [2,2]
    expect(value(op.matmul(a, a, { transB: true }))).toEqual([14, 32, 32, 77]);
    // bᵀ aᵀ = (ab)ᵀ
    expect(value(op.matmul(b, a, { transA: true, transB: true }))).toEqual([58, 139, 64, 154]);
  });

  it('broadcasts batch dims: [2,1,2,3] @ [3,3,2] -> [2,3,2,2]', () => {
    const rng = new Random(1);
    const av = randomValues(rng, 12);
    const bv = randomValues(rng, 18);
    const got = value(op.matmul(c(av, [2, 1, 2, 3]), c(bv, [3, 3, 2])));
    const want: number[] = [];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        for (let r = 0; r < 2; r++) {
          for (let s = 0; s < 2; s++) {
            let acc = 0;
            for (let p = 0; p < 3; p++) acc += av[i * 6 + r * 3 + p] * bv[j * 6 + p * 2 + s];
            want.push(acc);
          }
        }
      }
    }
    close(got, want);
  });
});

/** Conv via im2col: padded input, columns of patches, then a plain matrix product. */
function convIm2col(
  x: number[],
  [N, C, H, W]: number[],
  w: number[],
  [O, , kH, kW]: number[],
  [sh, sw]: number[],
  [pt, pl, pb, pr]: number[],
  [dh, dw]: number[],
): { out: number[]; shape: number[] } {
  const [Hp, Wp] = [H + pt + pb, W + pl + pr];
  const padded = (n: number, ch: number, i: number, j: number): number => {
    const [h, v] = [i - pt, j - pl];
    return h >= 0 && h < H && v >= 0 && v < W ? x[((n * C + ch) * H + h) * W + v] : 0;
  };
  const OH = Math.floor((Hp - (dh * (kH - 1) + 1)) / sh) + 1;
  const OW = Math.floor((Wp - (dw * (kW - 1) + 1)) / sw) + 1;
  const out = new Array<number>(N * O * OH * OW).fill(0);
  for (let n = 0; n < N; n++) {
    // cols[(ch,p,q)][(i,j)]
    const cols: number[][] = [];
    for (let ch = 0; ch < C; ch++)
      for (let p = 0; p < kH; p++)
        for (let q = 0; q < kW; q++) {
          const row: number[] = [];
          for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) row.push(padded(n, ch, i * sh + p * dh, j * sw + q * dw));
          cols.push(row);
        }
    for (let o = 0; o < O; o++) {
      for (let e = 0; e < OH * OW; e++) {
        let acc = 0;
        cols.forEach((row, r) => (acc += w[o * C * kH * kW + r] * row[e]));
        out[(n * O + o) * OH * OW + e] = acc;
      }
    }
  }
  return { out, shape: [N, O, OH, OW] };
}

describe('reference interpreter: convolutions', () => {
  it('conv2d by hand: 3x3 input, 2x2 ones kernel', () => {
    const x = c([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const w = c([1, 1, 1, 1], [1, 1, 2, 2]);
    expect(value(op.conv2d(x, w))).toEqual([12, 16, 24, 28]);
    // Padding 1 on top and left only.
    expect(value(op.conv2d(x, w, { padding: [1, 1, 0, 0] }))).toEqual([1, 3, 5, 5, 12, 16, 11, 24, 28]);
  });

  const cases: Array<{
    name: string;
    x: number[];
    w: number[];
    stride: [number, number];
    padding: [number, number, number, number];
    dilation: [number, number];
  }> = [
    { name: 'plain', x: [2, 3, 5, 6], w: [4, 3, 3, 2], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] },
    { name: 'stride 2, pad 1', x: [2, 2, 7, 6], w: [3, 2, 3, 3], stride: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1] },
    { name: 'asymmetric padding, stride (2,1)', x: [1, 2, 6, 5], w: [2, 2, 3, 2], stride: [2, 1], padding: [2, 0, 1, 1], dilation: [1, 1] },
    { name: 'dilation 2', x: [1, 3, 7, 7], w: [2, 3, 3, 2], stride: [1, 2], padding: [1, 2, 0, 1], dilation: [2, 2] },
  ];
  for (const k of cases) {
    it(`conv2d matches im2col: ${k.name}`, () => {
      const rng = new Random(7);
      const xv = randomValues(
        rng,
        k.x.reduce((a, b) => a * b),
      );
      const wv = randomValues(
        rng,
        k.w.reduce((a, b) => a * b),
      );
      const y = op.conv2d(c(xv, k.x), c(wv, k.w), { stride: k.stride, padding: k.padding, dilation: k.dilation });
      const want = convIm2col(xv, k.x, wv, k.w, k.stride, k.padding, k.dilation);
      expect(y.shape).toEqual(want.shape);
      close(value(y), want.out);
    });

    it(`convTranspose2d is the adjoint of conv2d: ${k.name}`, () => {
      // <conv(x, w), g> = <x, convT(g, w)> for every x, g, with output padding making the sizes meet.
      const rng = new Random(8);
      const xv = randomValues(
        rng,
        k.x.reduce((a, b) => a * b),
      );
      const wv = randomValues(
        rng,
        k.w.reduce((a, b) => a * b),
      );
      const y = convIm2col(xv, k.x, wv, k.w, k.stride, k.padding, k.dilation);
      const gv = randomValues(rng, y.out.length);
      const op2 = [0, 1].map(
        (i) => (k.x[2 + i] + k.padding[i] + k.padding[i + 2] - k.dilation[i] * (k.w[2 + i] - 1) - 1) % k.stride[i],
      ) as [number, number];
      const t = op.convTranspose2d(c(gv, y.shape), c(wv, k.w), {
        stride: k.stride,
        padding: k.padding,
        dilation: k.dilation,
        outputPadding: op2,
      });
      expect(t.shape).toEqual(k.x);
      const xt = value(t);
      const lhs = y.out.reduce((s, v, i) => s + v * gv[i], 0);
      const rhs = xt.reduce((s, v, i) => s + v * xv[i], 0);
      expect(lhs).toBeCloseTo(rhs, 9);
    });
  }

  it('convTranspose2d by hand: stride 2 scatters each input as a kernel copy', () => {
    const x = c([1, 2], [1, 1, 1, 2]);
    const w = c([1, 10, 100, 1000], [1, 1, 2, 2]);
    // Output [1,1,2,4]: x0·w at columns 0-1, x1·w at columns 2-3.
    expect(value(op.convTranspose2d(x, w, { stride: 2 }))).toEqual([1, 10, 2, 20, 100, 1000, 200, 2000]);
    // Padding [0,1,0,0] crops the first column; outputPadding adds a zero row/column at the end.
    expect(value(op.convTranspose2d(x, w, { stride: 2, padding: [0, 1, 0, 0], outputPadding: [1, 1] }))).toEqual([
      10, 2, 20, 0, 1000, 200, 2000, 0, 0, 0, 0, 0,
    ]);
  });
});

afterAll(() => {
  // Every primitive has a hand-checked value in this file.
  const missing = PRIMITIVES.filter((p) => !covered.has(p));
  if (missing.length > 0) throw new Error(`reference tests cover no case of: ${missing.join(', ')}`);
});
