/**
 * One draw of the model inputs per evaluation: the examples are preprocessed ONCE (for dynamic
 * binarization, one seeded Bernoulli draw per pixel) and every quantity of the evaluation reads that
 * same copy, so the ELBO, the NLL and the diagnostics describe the same data and NLL ≤ −ELBO holds
 * example by example up to Monte Carlo error.
 */
import { Random } from '../engine/random.js';
import { labelOf, makeDataset, range, type Dataset, type Source } from '../data/dataset.js';
import { toBatch, type Preprocess } from '../data/batches.js';

/** The preprocessed inputs of an evaluation, read back with preprocess 'raw'. */
export interface FixedInputs {
  /** The first n examples as model inputs (Float32, range 'real'), labels kept. */
  readonly data: Dataset;
  /** True when the inputs are continuous values (not binarized), where a density such as pPCA's applies. */
  readonly continuous: boolean;
}

/**
 * Preprocesses the first `n` examples of `source` once. With 'dynamic-binarize' the draw comes from
 * `new Random(seed)`, so the same seed gives the same binarized set.
 */
export function fixInputs(source: Source, n: number, preprocess: Preprocess | undefined, seed: number): FixedInputs {
  const m = Math.min(n, source.n);
  const data = toBatch(source, range(0, m), { preprocess, rng: new Random(seed) });
  const labelled = m > 0 && labelOf(source, 0) !== undefined;
  const labels = labelled ? Int32Array.from({ length: m }, (_, i) => labelOf(source, i) ?? -1) : undefined;
  const binary = preprocess === 'dynamic-binarize' || source.range === 'binary';
  return {
    data: makeDataset({
      name: `${source.name}[:${m}]`,
      shape: source.shape,
      n: m,
      range: 'real',
      data,
      labels,
      labelNames: source.labelNames,
    }),
    continuous: !binary,
  };
}
