/**
 * Every primitive lowered to ONNX, run on onnxruntime and compared with the float64 reference
 * interpreter. Cases cover broadcasting, int64/bool variants, conv stride/padding/dilation/output
 * padding and gather/scatterAdd with repeated indices.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  cast,
  concat,
  constant,
  conv2d,
  convTranspose2d,
  div,
  equal,
  exp,
  expand,
  gather,
  greater,
  input,
  less,
  log,
  matmul,
  max,
  maximum,
  minimum,
  mul,
  neg,
  pad,
  param,
  pow,
  relu,
  reshape,
  scatterAdd,
  sigmoid,
  slice,
  softplus,
  softplusSum,
  sqrt,
  stopGradient,
  sub,
  sum,
  tanh,
  transpose,
  where,
} from '../ops.js';
import { Parameter } from '../parameter.js';
import { PRIMITIVES, type DType } from '../primitives.js';
import { interpret } from '../reference.js';
import { backendTarget, compileGraph, type Feed } from '../runtime.js';
import { topologicalOrder, type Tensor } from '../tensor.js';
import { buildOnnxModel } from './model.js';
import { NCHWC_DOMAIN } from './nchwc.js';
import { onnx } from './proto.js';

/** A deterministic generator of float32-representable values. */
function values(n: number, seed: number, lo = -2, hi = 2): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.fround(lo + ((hi - lo) * s) / 2 ** 32);
  });
}

interface Case {
  inputs: Tensor<'input'>[];
  feeds: Record<string, number[]>;
  outputs: Record<string, Tensor>;
}

/** Feeds `values` as the typed array of `dtype`. */
function typed(dtype: DType, v: number[]): Feed {
  if (dtype === 'int64') return BigInt64Array.from(v.map((x) => BigInt(x)));
  if (dtype === 'bool') return Uint8Array.from(v.map((x) => (x ? 1 : 0)));
  return Float32Array.from(v);
}

/** The primitives the cases use; filled by running every case's body with `collectOnly` set. */
const covered = new Set<string>();
let collectOnly = false;
/** Every case's body, so that the coverage test can rebuild them all whichever tests ran. */
const bodies: (() => Promise<void>)[] = [];

/** `it`, keeping the body for the coverage test. */
function lowering(name: string, body: () => Promise<void>): void {
  bodies.push(body);
  it(name, body);
}

async function check(c: Case, params: 'inputs' | 'initializers' = 'inputs'): Promise<void> {
  const keys = Object.keys(c.outputs);
  for (const t of topologicalOrder(Object.values(c.outputs))) covered.add(t.op);
  if (collectOnly) return;
  const spec = { inputs: c.inputs, outputs: c.outputs, params };
  // Set VAELAB_ONNX_DUMP=<dir> to keep the models (e.g. for `onnx.checker.check_model`).
  const dump = process.env.VAELAB_ONNX_DUMP;
  if (dump) writeFileSync(join(dump, `${keys.join('-').slice(0, 60)}-${params}.onnx`), buildOnnxModel(spec));
  const graph = await compileGraph(spec);
  const feeds: Record<string, Feed> = {};
  for (const t of c.inputs) feeds[t.params.name] = typed(t.dtype, c.feeds[t.params.name]);
  for (const t of topologicalOrder(Object.values(c.outputs))) {
    if (t.is('param') && params === 'inputs') feeds[t.params.parameter.name] = t.params.parameter.value;
  }
  const got = await graph.run(feeds);
  const want = interpret(Object.values(c.outputs), c.feeds);
  keys.forEach((k, i) => {
    const g = Array.from(got[k] as ArrayLike<number | bigint>, Number);
    const w = Array.from(want[i], (x) => x + 0); // the reference may hold -0 for integers
    expect(g.length, `${k} length`).toBe(w.length);
    if (c.outputs[k].dtype !== 'float32') {
      expect(g, k).toEqual(w);
      return;
    }
    w.forEach((x, j) => {
      if (Math.abs(g[j] - x) > 1e-5 + 1e-4 * Math.abs(x)) {
        expect.fail(`${k}[${j}]: onnxruntime ${g[j]}, reference ${x}`);
      }
    });
  });
}

/** The nodes of a built model as `domain.opType` (plain `opType` for standard ONNX). */
function opsOf(model: Uint8Array): string[] {
  return onnx.ModelProto.decode(model).graph!.node!.map((n) => `${n.domain ? `${n.domain}.` : ''}${n.opType}`);
}

/** A float32 input named `name` with generated values. */
function f32(feeds: Record<string, number[]>, name: string, shape: number[], seed: number, lo = -2, hi = 2): Tensor<'input'> {
  feeds[name] = values(
    shape.reduce((a, b) => a * b, 1),
    seed,
    lo,
    hi,
  );
  return input(name, shape);
}

describe('ONNX lowering vs reference interpreter', () => {
  lowering('unary elementwise ops', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [3, 4], 1);
    const p = f32(feeds, 'p', [3, 4], 2, 0.1, 3);
    await check({
      inputs: [x, p],
      feeds,
      outputs: {
        neg: neg(x),
        exp: exp(x),
        log: log(p),
        sqrt: sqrt(p),
        abs: abs(x),
        tanh: tanh(x),
        sigmoid: sigmoid(x),
        relu: relu(x),
        softplus: softplus(x),
        sg: stopGradient(x),
      },
    });
  });

  lowering('softplus far from 0 (ONNX Softplus is stable: no overflow, no lost tail)', async () => {
    const x = input('x', [8]);
    await check({ inputs: [x], feeds: { x: [-100, -30, -10, -1e-3, 1e-3, 10, 30, 100] }, outputs: { softplus: softplus(x) } });
  });

  lowering('int64 neg, abs and arithmetic (division truncates toward zero)', async () => {
    const a = input('a', [6], 'int64');
    const b = input('b', [6], 'int64');
    await check({
      inputs: [a, b],
      feeds: { a: [-7, 7, -8, 9, 0, 3], b: [2, -2, 3, 4, 5, 1] },
      outputs: {
        neg: neg(a),
        abs: abs(a),
        add: add(a, b),
        sub: sub(a, b),
        mul: mul(a, b),
        div: div(a, b),
        max: maximum(a, b),
        min: minimum(a, b),
        pow: pow(abs(a), abs(b)),
      },
    });
  });

  lowering('cast between float32, int64 and bool', async () => {
    const x = input('x', [6]);
    const i = input('i', [6], 'int64');
    const b = input('b', [6], 'bool');
    await check({
      inputs: [x, i, b],
      feeds: { x: [-2.5, -0.5, 0, 0.5, 1.75, 3], i: [-3, 0, 1, 2, 0, 5], b: [1, 0, 1, 1, 0, 0] },
      outputs: {
        xi: cast(x, 'int64'),
        xb: cast(x, 'bool'),
        ix: cast(i, 'float32'),
        ib: cast(i, 'bool'),
        bx: cast(b, 'float32'),
        bi: cast(b, 'int64'),
      },
    });
  });

  lowering('binary ops with broadcasting and scalar constants', async () => {
    const feeds: Record<string, number[]> = {};
    const a = f32(feeds, 'a', [2, 3, 4], 3);
    const b = f32(feeds, 'b', [4], 4);
    const c = f32(feeds, 'c', [3, 1], 5, 0.5, 2);
    const d = f32(feeds, 'd', [1, 4], 6);
    await check({
      inputs: [a, b, c, d],
      feeds,
      outputs: {
        add: add(a, b),
        sub: sub(c, d),
        mul: mul(a, c),
        div: div(d, c),
        pow: pow(c, d),
        max: maximum(a, d),
        min: minimum(b, c),
        addScalar: add(a, 1.5),
        rsub: sub(2, c),
      },
    });
  });

  lowering('comparisons on float, int64 and bool operands, and where', async () => {
    const x = input('x', [3, 1]);
    const y = input('y', [1, 4]);
    const i = input('i', [4], 'int64');
    const b = input('b', [4], 'bool');
    const c = input('c', [4], 'bool');
    const cond = input('cond', [3, 1], 'bool');
    await check({
      inputs: [x, y, i, b, c, cond],
      feeds: { x: [0, 1, 2], y: [2, 1, 0, 1], i: [0, 1, 1, 3], b: [0, 1, 1, 0], c: [1, 1, 0, 0], cond: [1, 0, 1] },
      outputs: {
        lt: less(x, y),
        gt: greater(x, y),
        eq: equal(x, y),
        ilt: less(i, 1),
        ieq: equal(i, 1),
        blt: less(b, c),
        bgt: greater(b, c),
        beq: equal(b, c),
        w: where(cond, y, x),
        wi: where(b, i, constant(-1, [], 'int64')),
        wb: where(cond, b, c),
      },
    });
  });

  lowering('reductions over axes, with and without keepdims', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3, 4], 7);
    await check({
      inputs: [x],
      feeds,
      outputs: { s02: sum(x, [0, 2]), s1k: sum(x, 1, true), sAll: sum(x), m1: max(x, 1), m02k: max(x, [0, 2], true), mAll: max(x) },
    });
  });

  // Axis lengths whose largest divisor up to 126 is themselves, 112 (784 = 7·112), 1 (a prime) and 64.
  for (const d of [5, 784, 127, 4096]) {
    lowering(`softplusSum over a last axis of ${d} (log of products of chunks of sigmoids)`, async () => {
      const feeds: Record<string, number[]> = {};
      const x = f32(feeds, 'x', [3, d], d, -12, 12);
      await check({ inputs: [x], feeds, outputs: { rows: softplusSum(x), vector: softplusSum(reshape(x, [3 * d])) } });
    });
  }
  lowering('softplusSum far from 0: no overflow, and every value stays at its own size', async () => {
    const x = input('x', [2, 4]);
    await check({ inputs: [x], feeds: { x: [-100, -30, 0, 100, -80, 80, 1e-3, -1e-3] }, outputs: { s: softplusSum(x) } });
  });

  lowering('reshape, transpose, expand, concat, slice and pad', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3, 4], 8);
    const y = f32(feeds, 'y', [3, 1], 9);
    const i = input('i', [2, 3], 'int64');
    const b = input('b', [2, 2], 'bool');
    feeds.i = [1, 2, 3, 4, 5, 6];
    feeds.b = [1, 0, 0, 1];
    await check({
      inputs: [x, y, i, b],
      feeds,
      outputs: {
        reshape: reshape(x, [4, 6]),
        scalar: reshape(slice(reshape(x, [24]), 0, 5, 6), []),
        transpose: transpose(x, [2, 0, 1]),
        expand: expand(y, [2, 3, 4]),
        concat: concat([x, mul(x, 2), slice(x, 1, 0, 1)], 1),
        concatInt: concat([i, i], 0),
        slice: slice(slice(x, 2, 1, 3), 0, 1),
        sliceInt: slice(i, 1, 1),
        pad: pad(x, [1, 0, 2], [0, 3, 1]),
        padInt: pad(i, [0, 1], [1, 0]),
        padBool: pad(b, [1, 1], [0, 1]),
      },
    });
  });

  lowering('gather and scatterAdd with repeated indices on several axes', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [3, 4, 2], 10);
    const u = f32(feeds, 'u', [2, 5], 11);
    const i0 = input('i0', [5], 'int64');
    const i1 = input('i1', [5], 'int64');
    feeds.i0 = [2, 0, 2, 1, 2];
    feeds.i1 = [3, 3, 0, 1, 3];
    await check({
      inputs: [x, u, i0, i1],
      feeds,
      outputs: {
        g0: gather(x, i0, 0),
        g1: gather(x, i1, 1),
        s1: scatterAdd(u, i1, 1, 4),
        s0: scatterAdd(transpose(u), i0, 0, 3),
        adjoint: scatterAdd(gather(x, i1, 1), i1, 1, 4),
      },
    });
  });

  lowering('matmul at rank 2 (MatMul / Gemm) and with broadcast batch dims (Transpose + MatMul)', async () => {
    const feeds: Record<string, number[]> = {};
    const a = f32(feeds, 'a', [3, 4], 12);
    const at = f32(feeds, 'at', [4, 3], 13);
    const b = f32(feeds, 'b', [4, 5], 14);
    const bt = f32(feeds, 'bt', [5, 4], 15);
    const a3 = f32(feeds, 'a3', [2, 3, 4], 16);
    const a4t = f32(feeds, 'a4t', [2, 1, 4, 3], 17);
    const b3t = f32(feeds, 'b3t', [6, 5, 4], 18);
    await check({
      inputs: [a, at, b, bt, a3, a4t, b3t],
      feeds,
      outputs: {
        nn: matmul(a, b),
        tn: matmul(at, b, { transA: true }),
        nt: matmul(a, bt, { transB: true }),
        tt: matmul(at, bt, { transA: true, transB: true }),
        batch: matmul(a3, b),
        batchT: matmul(a3, bt, { transB: true }),
        broadcast: matmul(a4t, b3t, { transA: true, transB: true }),
        left: matmul(a, b3t, { transB: true }),
      },
    });
  });

  lowering('conv2d with stride, asymmetric padding and dilation', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3, 9, 8], 19);
    const w = f32(feeds, 'w', [4, 3, 3, 2], 20);
    await check({
      inputs: [x, w],
      feeds,
      outputs: {
        plain: conv2d(x, w),
        strided: conv2d(x, w, { stride: [2, 3], padding: [1, 0, 2, 1] }),
        dilated: conv2d(x, w, { dilation: [2, 3], padding: 1, stride: 2 }),
      },
    });
  });

  lowering('convTranspose2d with stride, padding, output padding and dilation', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3, 4, 5], 21);
    const w = f32(feeds, 'w', [3, 2, 3, 2], 22);
    await check({
      inputs: [x, w],
      feeds,
      outputs: {
        plain: convTranspose2d(x, w),
        strided: convTranspose2d(x, w, { stride: 2, padding: [1, 0, 0, 1], outputPadding: [1, 0] }),
        dilated: convTranspose2d(x, w, { stride: [2, 3], dilation: [2, 1], padding: [0, 1, 1, 0], outputPadding: [1, 2] }),
      },
    });
  });

  // On an x86 onnxruntime-node these run on the blocked (NCHWc) kernels with the weights reordered
  // in the graph (nchwc.ts); the weight-gradient-sized kernel and the 24-channel input stay on Conv.
  lowering('convolutions whose channels fill the blocked kernels: blocked and plain input, stride 1 and 2, transposed', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 16, 9, 8], 41);
    const grey = f32(feeds, 'greyImage', [2, 1, 9, 8], 42);
    const wide = f32(feeds, 'wide', [2, 32, 6, 7], 43);
    const odd = f32(feeds, 'odd', [2, 24, 6, 7], 44);
    const w = f32(feeds, 'w', [32, 16, 3, 5], 45);
    const wGrey = f32(feeds, 'wGrey', [16, 1, 4, 4], 46);
    const wT = f32(feeds, 'wT', [32, 16, 3, 5], 47);
    const wOdd = f32(feeds, 'wOdd', [16, 24, 3, 3], 48);
    const wBig = f32(feeds, 'wBig', [16, 16, 9, 8], 49);
    const outputs = {
      masked: conv2d(x, w, { padding: [2, 2, 0, 2] }),
      strided: conv2d(x, w, { stride: 2, padding: 1, dilation: [1, 2] }),
      grey: conv2d(grey, wGrey, { stride: 2, padding: 1 }),
      transposed: convTranspose2d(wide, wT, { padding: [2, 2, 0, 2] }),
      transposedStrided: convTranspose2d(wide, wT, { stride: 2, padding: 1 }),
      oddChannels: conv2d(odd, wOdd, { padding: 1 }),
      bigKernel: conv2d(x, wBig, { padding: [1, 1, 1, 1] }),
    };
    await check({ inputs: [x, grey, wide, odd, w, wGrey, wT, wOdd, wBig], feeds, outputs });
    const block = (await backendTarget()).nchwcBlock ?? 0;
    if (block > 0) {
      const ops = opsOf(
        buildOnnxModel({ inputs: [x, grey, wide, odd, w, wGrey, wT, wOdd, wBig], outputs, params: 'inputs' }, { nchwcBlock: block }),
      );
      expect(ops.filter((op) => op === `${NCHWC_DOMAIN}.Conv`)).toHaveLength(24 % block === 0 ? 5 : 4);
      expect(ops.filter((op) => op === 'Conv')).toHaveLength(24 % block === 0 ? 1 : 2);
      expect(ops.filter((op) => op === 'ConvTranspose')).toHaveLength(1);
    }
  });

  // conv → add(bias) → relu chains are written as one node (epilogue.ts): the bias as the node's third
  // input, the ReLU as the blocked kernels' activation (a separate Relu after a standard Conv).
  lowering('convolutions with their bias and ReLU written as one node, and chains that must not be fused', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 16, 9, 8], 51);
    const odd = f32(feeds, 'odd', [2, 24, 6, 7], 52);
    const w = f32(feeds, 'w', [32, 16, 3, 3], 53);
    const wOdd = f32(feeds, 'wOdd', [8, 24, 3, 3], 54);
    const wT = f32(feeds, 'wT', [16, 32, 4, 4], 55);
    const b = f32(feeds, 'b', [32], 56);
    const bOdd = f32(feeds, 'bOdd', [8], 57);
    const byChannel = (v: Tensor) => reshape(v, [v.shape[0], 1, 1]);
    const shared = conv2d(x, w, { padding: 1 });
    const exposed = add(conv2d(x, w, { stride: 2, padding: 1 }), byChannel(b));
    const outputs = {
      blockedRelu: relu(add(conv2d(x, w, { padding: 1 }), byChannel(b))),
      plainRelu: relu(add(byChannel(bOdd), conv2d(odd, wOdd, { padding: [1, 0, 1, 2] }))),
      transposedBias: add(convTranspose2d(x, wT, { stride: 2, padding: 1 }), byChannel(b)),
      transposedBlockedRelu: relu(add(convTranspose2d(x, wT, { padding: 1 }), byChannel(b))),
      exposed, // an output itself: fused with its bias, but the ReLU below reads it
      exposedRelu: relu(exposed),
      shared: add(shared, byChannel(b)), // the convolution is read twice: nothing fused
      sharedToo: mul(shared, 2),
    };
    const inputs = [x, odd, w, wOdd, wT, b, bOdd];
    await check({ inputs, feeds, outputs });
    const ops = (block: number) => opsOf(buildOnnxModel({ inputs, outputs, params: 'inputs' }, { nchwcBlock: block }));
    // Standard ONNX: the shared convolution's bias stays an Add; two Relus follow a fused Conv, one is exposedRelu.
    const standard = ops(0);
    expect(standard.filter((op) => op === 'Add')).toHaveLength(1);
    expect(standard.filter((op) => op === 'Relu')).toHaveLength(4);
    const block = (await backendTarget()).nchwcBlock ?? 0;
    if (block > 0) {
      const blocked = ops(block);
      expect(blocked.filter((op) => op === 'Add')).toHaveLength(1);
      // Only the unblocked 8-channel convolution and exposedRelu keep a Relu of their own.
      expect(blocked.filter((op) => op === 'Relu')).toHaveLength(2);
    }
  });

  it('writes standard ONNX only, unless told the blocked kernels exist', () => {
    const x = input('x', [2, 16, 9, 8]);
    const w = new Parameter('w', [32, 16, 3, 3], Float32Array.from(values(32 * 16 * 9, 50)));
    const spec = { inputs: [x], outputs: { y: conv2d(x, param(w), { padding: 1 }) }, params: 'initializers' as const };
    const domains = (bytes: Uint8Array): string[] => [...new Set(onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.domain ?? ''))];
    expect(domains(buildOnnxModel(spec))).toEqual(['']);
    const blocked = buildOnnxModel(spec, { nchwcBlock: 8 });
    expect(domains(blocked)).toContain(NCHWC_DOMAIN);
    expect(onnx.ModelProto.decode(blocked).opsetImport!.map((o) => o.domain)).toContain(NCHWC_DOMAIN);
  });

  lowering('constants of every dtype, scalars and parameters (as inputs and as initializers)', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3], 23);
    const w = new Parameter('layer.w', [3, 2], Float32Array.from(values(6, 24)));
    const c = constant([1, -2, 3], [3]);
    const out = {
      affine: add(matmul(x, param(w)), constant(0.25)),
      masked: where(constant([1, 0, 1], [3], 'bool'), x, c),
      ints: add(cast(x, 'int64'), constant([4, -5, 6], [3], 'int64')),
    };
    await check({ inputs: [x], feeds, outputs: out }, 'inputs');
    await check({ inputs: [x], feeds, outputs: out }, 'initializers');
  });

  lowering('zero-size tensors (empty slices, reshape with allowzero, reductions to zeros)', async () => {
    const feeds: Record<string, number[]> = {};
    const x = f32(feeds, 'x', [2, 3], 25);
    const e = slice(x, 1, 1, 1);
    await check({
      inputs: [x],
      feeds,
      outputs: {
        e,
        r: reshape(e, [0, 5]),
        c: concat([e, x], 1),
        s: sum(e, 1),
        p: pad(e, [0, 1], [0, 1]),
        m: matmul(e, reshape(slice(x, 0, 0, 0), [0, 3])),
      },
    });
  });

  it('has a test case for every primitive', async () => {
    // Builds every case's graph (without running it) so that this holds whichever tests ran before.
    collectOnly = true;
    try {
      for (const body of bodies) await body();
    } finally {
      collectOnly = false;
    }
    const missing = PRIMITIVES.filter((p) => !covered.has(p));
    expect(missing).toEqual([]);
  });
});
