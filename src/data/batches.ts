/**
 * Turning examples into model inputs: preprocessing (grey levels, dynamic and static binarization)
 * and a batch iterator with seeded shuffling that never copies the whole set.
 */
import type { Random } from '../engine/random.js';
import { exampleSize, makeDataset, type Dataset, type GeneratedDataset, type Source } from './dataset.js';

/**
 * How stored values become model inputs (Float32):
 * - `'grey'`: grey level in [0, 1] (x / 255 for uint8, x itself for binary and unit data), for
 *   continuous decoders;
 * - `'dynamic-binarize'`: a fresh Bernoulli(grey level) draw per pixel every time an example is
 *   drawn, from the `rng` given (Salakhutdinov & Murray 2008; the IWAE paper's setting);
 * - `'raw'`: the stored value unchanged (0..255 for uint8; the only choice for `'real'` data);
 * - `'dequantize'`: for 8-bit data, x = (pixel + u)/256 with u ~ U(0, 1) fresh each time an example is
 *   drawn, from the `rng` given (uniform dequantization, Theis et al. 2016; see `dequantize.ts`).
 *
 * Static binarization (one seeded draw, stored) is a dataset transform: see {@link staticBinarize}.
 */
export type Preprocess = 'grey' | 'dynamic-binarize' | 'raw' | 'dequantize';

/** Options for {@link toBatch} and {@link batches}. */
export interface PreprocessOptions {
  /** Default `'raw'` for `'real'` data, `'grey'` otherwise. */
  readonly preprocess?: Preprocess;
  /** Required for `'dynamic-binarize'` and `'dequantize'`. */
  readonly rng?: Random;
}

function scaleOf(source: Source, preprocess: Preprocess): number {
  if (preprocess === 'raw') return 1;
  if (source.range === 'real') {
    throw new Error(`'${preprocess}' needs data in [0, 1] or 0..255, but ${source.name} holds real values: use 'raw'`);
  }
  return source.range === 'uint8' ? 1 / 255 : 1;
}

/** Resolves a source to its base and a function from position to base index. */
function resolve(source: Source): { base: Dataset | GeneratedDataset; map: (i: number) => number } {
  if (source.kind === 'subset') {
    const idx = source.indices;
    return { base: source.base, map: (i) => idx[i] };
  }
  return { base: source, map: (i) => i };
}

/**
 * Writes the examples at `positions` (indices into `source`) into `out`, row-major
 * `[positions.length, ...shape]`, preprocessed. Returns `out` (allocated when not given).
 */
export function toBatch(
  source: Source,
  positions: ArrayLike<number>,
  options: PreprocessOptions & { out?: Float32Array } = {},
): Float32Array {
  const preprocess = options.preprocess ?? (source.range === 'real' ? 'raw' : 'grey');
  const scale = scaleOf(source, preprocess);
  const rng = options.rng;
  if ((preprocess === 'dynamic-binarize' || preprocess === 'dequantize') && !rng)
    throw new Error(`'${preprocess}' needs an rng (a seeded Random)`);
  if (preprocess === 'dequantize' && source.range !== 'uint8') {
    throw new Error(`'dequantize' needs 8-bit data (0..255), but ${source.name} holds '${source.range}' values`);
  }
  const d = exampleSize(source);
  const out = options.out ?? new Float32Array(positions.length * d);
  if (out.length < positions.length * d) throw new RangeError(`toBatch: out has ${out.length} values, need ${positions.length} x ${d}`);
  const { base, map } = resolve(source);
  const scratch = base.kind === 'generated' ? new Uint8Array(d) : undefined;
  for (let b = 0; b < positions.length; b++) {
    const j = map(positions[b]);
    let row: Uint8Array | Float32Array;
    if (base.kind === 'array') row = base.data.subarray(j * d, (j + 1) * d);
    else {
      base.generate(j, scratch!, 0);
      row = scratch!;
    }
    const o = b * d;
    if (preprocess === 'dynamic-binarize') {
      for (let k = 0; k < d; k++) out[o + k] = rng!.uniform() < row[k] * scale ? 1 : 0;
    } else if (preprocess === 'dequantize') {
      for (let k = 0; k < d; k++) out[o + k] = (row[k] + rng!.uniform()) / 256;
    } else if (scale === 1) {
      for (let k = 0; k < d; k++) out[o + k] = row[k];
    } else {
      for (let k = 0; k < d; k++) out[o + k] = row[k] * scale;
    }
  }
  return out;
}

/**
 * Static binarization: ONE seeded Bernoulli(grey level) draw per pixel, stored as a new `'binary'`
 * Uint8Array dataset (labels shared). Draw it once and train on the result every epoch.
 */
export function staticBinarize(dataset: Dataset, rng: Random): Dataset {
  const scale = scaleOf(dataset, 'grey');
  const data = new Uint8Array(dataset.data.length);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < dataset.data[i] * scale ? 1 : 0;
  return makeDataset({ ...dataset, name: `${dataset.name} (static binarized)`, range: 'binary', data });
}

/** Options for {@link batches}. */
export interface BatchOptions extends PreprocessOptions {
  readonly batchSize: number;
  /** Shuffle the order with this generator (a fresh permutation per call), or keep source order. */
  readonly shuffle?: Random | null;
  /** Drop the last batch when it is smaller than `batchSize` (default false: yield it padded). */
  readonly dropLast?: boolean;
  /** An `x` buffer to reuse (at least `batchSize * prod(shape)` long), e.g. across epochs. */
  readonly out?: Float32Array;
}

/** One batch. */
export interface Batch {
  /**
   * Inputs, row-major `[batchSize, ...shape]`: ALWAYS `batchSize` rows long so that static-shape
   * graphs can take it; when `size < batchSize` (last batch) rows `size..` are zeros.
   * REUSED: the next batch overwrites it; copy it to keep it.
   */
  readonly x: Float32Array;
  /** The examples' indices in the underlying Dataset/GeneratedDataset (a Subset's base), `size` long. */
  readonly indices: Uint32Array;
  /** Their labels (`size` long), when the source has labels. Reused like `x`. */
  readonly labels?: Int32Array;
  /** Number of real examples in this batch (`<= batchSize`). */
  readonly size: number;
}

/**
 * One epoch of batches over `source`. Only `batchSize` examples are ever materialised at a time;
 * the data are never copied per epoch (the shuffled order is one index list). Batches share one
 * output buffer: consume (or copy) each before asking for the next.
 */
export function* batches(source: Source, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const d = exampleSize(source);
  const x = options.out ?? new Float32Array(batchSize * d);
  if (x.length < batchSize * d) throw new RangeError(`batches: out has ${x.length} values, need ${batchSize} x ${d}`);
  const { base, map } = resolve(source);
  const hasLabels = base.kind === 'array' ? base.labels !== undefined : base.label !== undefined;
  const labelBuf = hasLabels ? new Int32Array(batchSize) : undefined;
  const indexBuf = new Uint32Array(batchSize);
  const positions = new Uint32Array(batchSize);
  const order = options.shuffle ? options.shuffle.permutation(source.n) : undefined;
  const n = source.n;
  const end = options.dropLast ? n - (n % batchSize) : n;
  for (let start = 0; start < end; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    for (let b = 0; b < size; b++) {
      const p = order ? order[start + b] : start + b;
      positions[b] = p;
      const j = map(p);
      indexBuf[b] = j;
      if (labelBuf) labelBuf[b] = base.kind === 'array' ? base.labels![j] : base.label!(j);
    }
    toBatch(source, positions.subarray(0, size), { ...options, out: x });
    if (size < batchSize) x.fill(0, size * d, batchSize * d);
    yield { x, indices: indexBuf.subarray(0, size), labels: labelBuf?.subarray(0, size), size };
  }
}

/** Number of batches {@link batches} yields for `n` examples. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}
