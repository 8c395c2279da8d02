/**
 * A slow, plain float64 interpreter for traced graphs: the reference that gradient rules and the
 * ONNX lowering are checked against. One small function per primitive; clarity over speed.
 *
 * All values are held in Float64Array, whatever the dtype: int64 as integral doubles, bool as 0/1.
 * float32 tensors are computed in float64 (no rounding to single precision).
 */
import type { Parameter } from './parameter.js';
import type { Primitive } from './primitives.js';
import { sizeOf, stridesOf, type Tensor, topologicalOrder } from './tensor.js';

/** Options of {@link interpret}. */
export interface InterpretOptions {
  /** Values that override `parameter.value` for these parameters (row-major, full precision). */
  params?: Map<Parameter, ArrayLike<number>>;
}

interface Env {
  feeds: Record<string, ArrayLike<number>>;
  params?: Map<Parameter, ArrayLike<number>>;
}

/** Computes one primitive from its input values. Leaves read the feeds and parameters in `env`. */
type Rule<P extends Primitive> = (t: Tensor<P>, inputs: Float64Array[], env: Env) => Float64Array;

/**
 * Evaluates `outputs` in float64.
 *
 * @param feeds the value of every `input` leaf the outputs depend on, by name, row-major.
 * @param opts.params parameter values to use instead of `parameter.value`.
 * @returns one new row-major array per output.
 * @throws Error naming the input when a feed is missing or has the wrong length.
 */
export function interpret(
  outputs: readonly Tensor[],
  feeds: Record<string, ArrayLike<number>>,
  opts: InterpretOptions = {},
): Float64Array[] {
  const order = topologicalOrder(outputs);
  const env: Env = { feeds, params: opts.params };
  // Free each value after its last use, so long graphs hold only what is live.
  const lastUse = new Map<number, number>();
  order.forEach((t, i) => t.inputs.forEach((x) => lastUse.set(x.id, i)));
  const keep = new Set(outputs.map((t) => t.id));
  const values = new Map<number, Float64Array>();
  order.forEach((t, i) => {
    const inputs = t.inputs.map((x) => values.get(x.id) as Float64Array);
    const value = (rules[t.op] as Rule<Primitive>)(t, inputs, env);
    if (value.length !== t.size) {
      throw new Error(`interpret: ${t} produced ${value.length} values, expected ${t.size}`);
    }
    values.set(t.id, value);
    for (const x of t.inputs) if (lastUse.get(x.id) === i && !keep.has(x.id)) values.delete(x.id);
  });
  return outputs.map((t) => values.get(t.id) as Float64Array);
}

// ---------------------------------------------------------------------------------------------
// Strided views: one helper serves broadcasting, transpose, slice, pad, concat and reductions.

/** Flat offsets `offset + Σ_k i_k·strides[k]` for every row-major multi-index i of `shape`. */
function stridedOffsets(shape: readonly number[], strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(shape);
  const out = new Int32Array(n);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = offset;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      off += strides[k];
      if (idx[k] < shape[k]) break;
      off -= strides[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** `src` read through a strided view of `shape`. */
function view(src: Float64Array, shape: readonly number[], strides: readonly number[], offset = 0): Float64Array {
  const offs = stridedOffsets(shape, strides, offset);
  const out = new Float64Array(offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = src[offs[i]];
  return out;
}

/** Strides that read a row-major array of `from` as if broadcast to `to` (0 on broadcast axes). */
function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const own = stridesOf(from);
  const lead = to.length - from.length;
  return to.map((_, j) => (j < lead || from[j - lead] === 1 ? 0 : own[j - lead]));
}

/** The NumPy broadcast of `x` (of shape `from`) to `to`; `x` itself when the shapes agree. */
function broadcastTo(x: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return x;
  return view(x, to, broadcastStrides(from, to));
}

// ---------------------------------------------------------------------------------------------
// Elementwise

function map1(x: Float64Array, f: (v: number) => number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return out;
}

function map2(t: Tensor, [a, b]: Float64Array[], f: (p: number, q: number) => number): Float64Array {
  const pa = broadcastTo(a, t.inputs[0].shape, t.shape);
  const pb = broadcastTo(b, t.inputs[1].shape, t.shape);
  const out = new Float64Array(t.size);
  for (let i = 0; i < out.length; i++) out[i] = f(pa[i], pb[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reductions

function reduce(t: Tensor<'sum' | 'max'>, x: Float64Array, init: number, f: (acc: number, v: number) => number): Float64Array {
  const xShape = t.inputs[0].shape;
  const { axes } = t.params;
  const kept = xShape.map((d, i) => (axes.includes(i) ? 1 : d));
  // Each element of x goes to the output slot with its reduced axes set to 0.
  const slot = stridedOffsets(
    xShape,
    stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s)),
  );
  const out = new Float64Array(sizeOf(kept)).fill(init);
  for (let i = 0; i < x.length; i++) out[slot[i]] = f(out[slot[i]], x[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Indexing

/** Splits `shape` around `axis` into [outer, dim, inner] sizes. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

function checkIndices(op: string, indices: Float64Array, dim: number): number[] {
  return Array.from(indices, (v) => {
    if (!Number.isInteger(v) || v < -dim || v >= dim) throw new Error(`${op}: index ${v} out of range for a dimension of ${dim}`);
    return v < 0 ? v + dim : v;
  });
}

// ---------------------------------------------------------------------------------------------
// Linear algebra and convolution

function matmul(t: Tensor<'matmul'>, [a, b]: Float64Array[]): Float64Array {
  const [A, B] = t.inputs;
  const { transA, transB } = t.params;
  const r = t.rank;
  const [m, n] = [t.shape[r - 2], t.shape[r - 1]];
  const k = transA ? A.shape[A.rank - 2] : A.shape[A.rank - 1];
  const ac = A.shape[A.rank - 1];
  const bc = B.shape[B.rank - 1];
  const batch = t.shape.slice(0, -2);
  // Offset of each output batch's matrix in a and b (broadcast batches share one).
  const aOff = stridedOffsets(
    batch,
    broadcastStrides(A.shape.slice(0, -2), batch).map((s) => s * m * k),
  );
  const bOff = stridedOffsets(
    batch,
    broadcastStrides(B.shape.slice(0, -2), batch).map((s) => s * k * n),
  );
  const out = new Float64Array(t.size);
  for (let z = 0; z < aOff.length; z++) {
    const [ao, bo, oo] = [aOff[z], bOff[z], z * m * n];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const av = a[ao + (transA ? p * ac + i : i * ac + p)];
          const bv = b[bo + (transB ? j * bc + p : p * bc + j)];
          acc += av * bv;
        }
        out[oo + i * n + j] = acc;
      }
    }
  }
  return out;
}

/** ONNX Conv (group 1): y[n,o,i,j] = Σ_{c,p,q} x[n, c, i·s₀ − top + p·d₀, j·s₁ − left + q·d₁] · w[o,c,p,q]. */
function conv2d(t: Tensor<'conv2d'>, [x, w]: Float64Array[]): Float64Array {
  const [N, C, H, W] = t.inputs[0].shape;
  const [, , kH, kW] = t.inputs[1].shape;
  const [, O, OH, OW] = t.shape;
  const {
    stride: [sh, sw],
    padding: [pt, pl],
    dilation: [dh, dw],
  } = t.params;
  const out = new Float64Array(t.size);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let i = 0; i < OH; i++) {
        for (let j = 0; j < OW; j++) {
          let acc = 0;
          for (let c = 0; c < C; c++) {
            for (let p = 0; p < kH; p++) {
              const h = i * sh - pt + p * dh;
              if (h < 0 || h >= H) continue;
              for (let q = 0; q < kW; q++) {
                const v = j * sw - pl + q * dw;
                if (v < 0 || v >= W) continue;
                acc += x[((n * C + c) * H + h) * W + v] * w[((o * C + c) * kH + p) * kW + q];
              }
            }
          }
          out[((n * O + o) * OH + i) * OW + j] = acc;
        }
      }
    }
  }
  return out;
}

/**
 * ONNX ConvTranspose (group 1): each x[n,c,i,j] adds x·w[c,o,p,q] to y[n, o, i·s₀ − top + p·d₀,
 * j·s₁ − left + q·d₁]; positions outside the output (cropped by padding) are dropped.
 */
function convTranspose2d(t: Tensor<'convTranspose2d'>, [x, w]: Float64Array[]): Float64Array {
  const [N, C, H, W] = t.inputs[0].shape;
  const [, , kH, kW] = t.inputs[1].shape;
  const [, O, OH, OW] = t.shape;
  const {
    stride: [sh, sw],
    padding: [pt, pl],
    dilation: [dh, dw],
  } = t.params;
  const out = new Float64Array(t.size);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < W; j++) {
          const xv = x[((n * C + c) * H + i) * W + j];
          for (let o = 0; o < O; o++) {
            for (let p = 0; p < kH; p++) {
              const h = i * sh - pt + p * dh;
              if (h < 0 || h >= OH) continue;
              for (let q = 0; q < kW; q++) {
                const v = j * sw - pl + q * dw;
                if (v < 0 || v >= OW) continue;
                out[((n * O + o) * OH + h) * OW + v] += xv * w[((c * O + o) * kH + p) * kW + q];
              }
            }
          }
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The rule table

function leafValue(what: string, t: Tensor, v: ArrayLike<number> | undefined): Float64Array {
  if (v === undefined) throw new Error(`interpret: no value fed for ${what} (shape [${t.shape}])`);
  if (v.length !== t.size) {
    throw new Error(`interpret: ${what} has ${v.length} values, shape [${t.shape}] needs ${t.size}`);
  }
  return Float64Array.from(v);
}

const bool = (c: boolean): number => (c ? 1 : 0);

/** log(1 + eᵛ) = max(v, 0) + log1p(e^−|v|), exact to double precision for any v. */
const stableSoftplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

const rules: { [P in Primitive]: Rule<P> } = {
  input: (t, _, env) => leafValue(`input '${t.params.name}'`, t, env.feeds[t.params.name]),
  param: (t, _, env) => {
    const p = t.params.parameter;
    return leafValue(`parameter '${p.name}'`, t, env.params?.get(p) ?? p.value);
  },
  constant: (t) => t.params.value.slice(),

  neg: (_, [x]) => map1(x, (v) => -v),
  exp: (_, [x]) => map1(x, Math.exp),
  log: (_, [x]) => map1(x, Math.log),
  sqrt: (_, [x]) => map1(x, Math.sqrt),
  abs: (_, [x]) => map1(x, Math.abs),
  tanh: (_, [x]) => map1(x, Math.tanh),
  sigmoid: (_, [x]) => map1(x, (v) => 1 / (1 + Math.exp(-v))),
  relu: (_, [x]) => map1(x, (v) => Math.max(v, 0)),
  softplus: (_, [x]) => map1(x, stableSoftplus),
  stopGradient: (_, [x]) => x.slice(),
  // ONNX Cast: float -> int truncates toward zero; anything -> bool is "non-zero".
  cast: (t, [x]) => (t.params.to === 'int64' ? map1(x, Math.trunc) : t.params.to === 'bool' ? map1(x, (v) => bool(v !== 0)) : x.slice()),

  add: (t, xs) => map2(t, xs, (p, q) => p + q),
  sub: (t, xs) => map2(t, xs, (p, q) => p - q),
  mul: (t, xs) => map2(t, xs, (p, q) => p * q),
  // Integer division truncates toward zero, as in ONNX Div on int64.
  div: (t, xs) => map2(t, xs, t.dtype === 'int64' ? (p, q) => Math.trunc(p / q) : (p, q) => p / q),
  pow: (t, xs) => map2(t, xs, Math.pow),
  maximum: (t, xs) => map2(t, xs, Math.max),
  minimum: (t, xs) => map2(t, xs, Math.min),
  less: (t, xs) => map2(t, xs, (p, q) => bool(p < q)),
  greater: (t, xs) => map2(t, xs, (p, q) => bool(p > q)),
  equal: (t, xs) => map2(t, xs, (p, q) => bool(p === q)),
  where: (t, [c, a, b]) => {
    const [pc, pa, pb] = [c, a, b].map((v, i) => broadcastTo(v, t.inputs[i].shape, t.shape));
    return Float64Array.from(pc, (ci, i) => (ci !== 0 ? pa[i] : pb[i]));
  },

  sum: (t, [x]) => reduce(t, x, 0, (acc, v) => acc + v),
  max: (t, [x]) => reduce(t, x, -Infinity, (acc, v) => (v > acc || Number.isNaN(v) ? v : acc)),
  softplusSum: (t, [x]) => {
    const d = t.inputs[0].shape.at(-1)!;
    const out = new Float64Array(x.length / d);
    for (let i = 0; i < x.length; i++) out[Math.floor(i / d)] += stableSoftplus(x[i]);
    return out;
  },

  reshape: (_, [x]) => x.slice(),
  transpose: (t, [x]) => {
    const s = stridesOf(t.inputs[0].shape);
    return view(
      x,
      t.shape,
      t.params.perm.map((p) => s[p]),
    );
  },
  expand: (t, [x]) => view(x, t.shape, broadcastStrides(t.inputs[0].shape, t.shape)),
  concat: (t, xs) => {
    const out = new Float64Array(t.size);
    const s = stridesOf(t.shape);
    let at = 0;
    xs.forEach((x, i) => {
      const shape = t.inputs[i].shape;
      const offs = stridedOffsets(shape, s, at * s[t.params.axis]);
      for (let e = 0; e < x.length; e++) out[offs[e]] = x[e];
      at += shape[t.params.axis];
    });
    return out;
  },
  slice: (t, [x]) => {
    const s = stridesOf(t.inputs[0].shape);
    return view(
      x,
      t.shape,
      s,
      t.params.starts.reduce((o, st, i) => o + st * s[i], 0),
    );
  },
  pad: (t, [x]) => {
    const out = new Float64Array(t.size);
    const s = stridesOf(t.shape);
    const offs = stridedOffsets(
      t.inputs[0].shape,
      s,
      t.params.before.reduce((o, b, i) => o + b * s[i], 0),
    );
    for (let e = 0; e < x.length; e++) out[offs[e]] = x[e];
    return out;
  },
  gather: (t, [x, indices]) => {
    const [outer, dim, inner] = around(t.inputs[0].shape, t.params.axis);
    const idx = checkIndices('gather', indices, dim);
    const out = new Float64Array(t.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < idx.length; j++) {
        const src = (o * dim + idx[j]) * inner;
        const dst = (o * idx.length + j) * inner;
        for (let e = 0; e < inner; e++) out[dst + e] = x[src + e];
      }
    }
    return out;
  },
  scatterAdd: (t, [u, indices]) => {
    const [outer, k, inner] = around(t.inputs[0].shape, t.params.axis);
    const { size } = t.params;
    const idx = checkIndices('scatterAdd', indices, size);
    const out = new Float64Array(t.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const src = (o * k + j) * inner;
        const dst = (o * size + idx[j]) * inner;
        for (let e = 0; e < inner; e++) out[dst + e] += u[src + e];
      }
    }
    return out;
  },

  matmul: (t, xs) => matmul(t, xs),
  conv2d: (t, xs) => conv2d(t, xs),
  convTranspose2d: (t, xs) => convTranspose2d(t, xs),
};
