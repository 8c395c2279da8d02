/** Encoding a data set: the posterior mean μ(x) and standard deviation σ(x) of every example, as CSV. */
import { createWriteStream } from 'node:fs';
import { Random } from '../engine/random.js';
import { labelOf, type Source } from '../data/dataset.js';
import { batches, type Preprocess } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { drawNoise, termsGraph } from './graphs.js';

/** Options of {@link encodeToCsv}. */
export interface EncodeOptions {
  readonly batch?: number;
  readonly n?: number;
  readonly preprocess?: Preprocess;
  readonly seed?: number;
  readonly threads?: number;
}

/**
 * Writes `index,label,mu_0..mu_{d−1},sigma_0..sigma_{d−1}` per example of `source` (σ = exp(½ log σ²));
 * the label column is empty for unlabelled data. Returns the number of rows written.
 */
export async function encodeToCsv(model: LatentVariableModel, source: Source, path: string, opts: EncodeOptions = {}): Promise<number> {
  const B = opts.batch ?? 100;
  const d = model.latentSize;
  const g = await termsGraph(model, B, 1, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const noiseRng = rng.split();
  const out = createWriteStream(path);
  const header = ['index', 'label', ...Array.from({ length: d }, (_, i) => `mu_${i}`), ...Array.from({ length: d }, (_, i) => `sigma_${i}`)];
  out.write(header.join(',') + '\n');
  const limit = Math.min(opts.n ?? source.n, source.n);
  let i = 0;
  for (const b of batches(source, { batchSize: B, preprocess: opts.preprocess, rng })) {
    const r = await g.run({ x: b.x, ...drawNoise(g.noise, noiseRng) }, ['mu', 'logVar']);
    const lines: string[] = [];
    for (let row = 0; row < b.size && i < limit; row++, i++) {
      const mu = Array.from(r.mu.subarray(row * d, (row + 1) * d), (v) => v.toPrecision(6));
      const sigma = Array.from(r.logVar.subarray(row * d, (row + 1) * d), (v) => Math.exp(0.5 * v).toPrecision(6));
      lines.push([i, labelOf(source, i) ?? '', ...mu, ...sigma].join(','));
    }
    out.write(lines.join('\n') + '\n');
    if (i >= limit) break;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return i;
}
