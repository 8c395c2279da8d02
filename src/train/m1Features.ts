/**
 * M1's features for M1+M2 (Kingma et al. 2014, §3.1.3 "stacked generative semi-supervised model"):
 * the posterior means μ(x) of a trained VAE (M1) for every example of its dataset, written as an NPY
 * matrix plus an NPY labels vector, so that M2 trains on them as on any file
 * (`--dataset features.npy --labels-file labels.npy`). As in the authors' code, only the latents whose
 * μ varies across the data (std > 0.1, the active ones) are kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeNpy } from '../data/npy.js';
import type { Source } from '../data/dataset.js';
import { encodeSource } from '../eval/encode.js';
import type { LoadedRun } from './experiment.js';

/** M1's features of one run's data. */
export interface M1Features {
  /** Row-major [n, kept.length]: μ(x) of the train, validation and test parts, in that order. */
  readonly features: Float32Array;
  /** One label per row. */
  readonly labels: Uint8Array;
  /** The latent dimensions kept (std of μ over the training part above `minStd`). */
  readonly kept: number[];
  /** Rows of each part: `--validation` and `--test` with these counts split the file as the run split its data. */
  readonly counts: { readonly train: number; readonly validation: number; readonly test: number };
}

/** Options of {@link m1Features}. */
export interface M1FeatureOptions {
  /** Keep the latents whose μ has a standard deviation above this over the training part (default 0.1). */
  readonly minStd?: number;
  readonly threads?: number;
}

/** Standard deviation of each column of the row-major [n, d] matrix `m`. */
export function columnStd(m: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += m[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (m[i * d + j] - mean[j]) ** 2 / n;
  return sq.map(Math.sqrt);
}

/** μ(x) of every example of the run's train, validation and test parts, restricted to the active latents. */
export async function m1Features(run: LoadedRun, opts: M1FeatureOptions = {}): Promise<M1Features> {
  const parts: Source[] = [run.data.train, run.data.validation, run.data.test].filter((s): s is Source => s !== undefined);
  const enc = { preprocess: run.data.preprocess, seed: run.config.train.seed, threads: opts.threads, keep: 0 };
  const encoded = [];
  for (const s of parts) encoded.push(await encodeSource(run.model, s, enc));
  const d = run.model.latentSize;
  const std = columnStd(encoded[0].mu, encoded[0].n, d);
  const kept = [...std.keys()].filter((j) => std[j] > (opts.minStd ?? 0.1));
  const n = encoded.reduce((a, e) => a + e.n, 0);
  const features = new Float32Array(n * kept.length);
  const labels = new Uint8Array(n);
  let row = 0;
  for (const e of encoded) {
    for (let i = 0; i < e.n; i++, row++) {
      kept.forEach((j, c) => (features[row * kept.length + c] = e.mu[i * d + j]));
      labels[row] = e.labels?.[i] ?? 0;
    }
  }
  const count = (s: Source | undefined): number => s?.n ?? 0;
  return {
    features,
    labels,
    kept,
    counts: { train: count(run.data.train), validation: count(run.data.validation), test: count(run.data.test) },
  };
}

/** Writes `features.npy` and `labels.npy` into `dir`; returns their absolute paths (a run's config.json records them). */
export function writeM1Features(f: M1Features, dir: string): { features: string; labels: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { features: join(resolve(dir), 'features.npy'), labels: join(resolve(dir), 'labels.npy') };
  writeFileSync(paths.features, encodeNpy(f.features, [f.labels.length, f.kept.length]));
  writeFileSync(paths.labels, encodeNpy(f.labels, [f.labels.length]));
  return paths;
}
