/** Encoding a data set with q(z|x): the posterior mean μ(x) and variance σ²(x) of every example, in memory or as CSV. */
import { writeFileSync } from 'node:fs';
import { Random } from '../engine/random.js';
import { labelOf, range, subset, type Source } from '../data/dataset.js';
import { batches, type Preprocess } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { termsGraph } from './graphs.js';
import { drawNoise } from '../models/noise.js';

/** The encoded examples: row-major [n, d] μ and σ², and labels where the data has them. */
export interface Encoded {
  readonly n: number;
  readonly d: number;
  readonly mu: Float32Array;
  readonly sigma2: Float32Array;
  /** Closed-form KL(q(z|x) ‖ p(z)) per latent, [n, d], where the model has one. */
  readonly kl: Float32Array | null;
  readonly labels: Int32Array | null;
  /** The model inputs of the first examples, [min(n, keep), D] (for reconstruction pictures). */
  readonly inputs: Float32Array;
}

/** Options of {@link encodeSource}. */
export interface EncodeSourceOptions {
  /** Encode the first n examples (default all). */
  readonly n?: number;
  readonly batch?: number;
  readonly preprocess?: Preprocess;
  /** Seed of the binarization (default 0). */
  readonly seed?: number;
  readonly threads?: number;
  /** How many model inputs to keep (default 64). */
  readonly keep?: number;
}

/** Encodes the first `n` examples of `source` with q(z|x) (one graph run per batch of `batch` rows). */
export async function encodeSource(model: LatentVariableModel, source: Source, opts: EncodeSourceOptions = {}): Promise<Encoded> {
  const B = opts.batch ?? 100;
  const d = model.latentSize;
  const D = model.dataSize;
  const n = Math.min(source.n, opts.n ?? source.n);
  const view = n < source.n ? subset(source, range(0, n), `${source.name}[:${n}]`) : source;
  const g = await termsGraph(model, B, 1, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const noiseRng = rng.split();
  const mu = new Float32Array(n * d);
  const sigma2 = new Float32Array(n * d);
  let kl: Float32Array | null = null;
  const keep = Math.min(n, opts.keep ?? 64);
  const inputs = new Float32Array(keep * D);
  const labelled = n > 0 && labelOf(source, 0) !== undefined;
  const labels = labelled ? new Int32Array(n) : null;
  let i = 0;
  for (const b of batches(view, { batchSize: B, preprocess: opts.preprocess, rng })) {
    const r = await g.run({ x: b.x, ...drawNoise(g.noise, noiseRng) });
    const rows = b.size;
    mu.set(r.mu.subarray(0, rows * d), i * d);
    for (let j = 0; j < rows * d; j++) sigma2[i * d + j] = Math.exp(r.logVar[j]);
    if (r.klPerLatent) (kl ??= new Float32Array(n * d)).set(r.klPerLatent.subarray(0, rows * d), i * d);
    if (i < keep) inputs.set(b.x.subarray(0, Math.min(rows, keep - i) * D), i * D);
    if (labels) for (let j = 0; j < rows; j++) labels[i + j] = labelOf(view, i + j) ?? -1;
    i += rows;
  }
  return { n, d, mu, sigma2, kl, labels, inputs };
}

/**
 * Writes `index,label,mu_0..mu_{d−1},sigma_0..sigma_{d−1}` per example of `source` (the first `n` of
 * them when `opts.n` is given); the label column is empty for unlabelled data. Returns the number of rows.
 */
export async function encodeToCsv(
  model: LatentVariableModel,
  source: Source,
  path: string,
  opts: EncodeSourceOptions = {},
): Promise<number> {
  const e = await encodeSource(model, source, { ...opts, keep: 0 });
  const { n, d } = e;
  const header = [
    'index',
    'label',
    ...Array.from({ length: d }, (_, i) => `mu_${i}`),
    ...Array.from({ length: d }, (_, i) => `sigma_${i}`),
  ];
  const lines = [header.join(',')];
  for (let i = 0; i < n; i++) {
    const mu = Array.from(e.mu.subarray(i * d, (i + 1) * d), (v) => v.toPrecision(6));
    const sigma = Array.from(e.sigma2.subarray(i * d, (i + 1) * d), (v) => Math.sqrt(v).toPrecision(6));
    lines.push([i, e.labels && e.labels[i] >= 0 ? e.labels[i] : '', ...mu, ...sigma].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return n;
}
