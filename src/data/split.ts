/** Train/validation/test splits as views (index lists) of one source: no example data is copied. */
import type { Random } from '../engine/random.js';
import { range, subset, type Source, type Subset } from './dataset.js';

/** Options for {@link splitDataset}. A size is a count when >= 1, or a fraction of the source when in (0, 1). */
export interface SplitOptions {
  /** How many examples to hold out for validation (count or fraction). */
  readonly validation?: number;
  /** How many examples to hold out for test (count or fraction), taken after validation. */
  readonly test?: number;
  /**
   * `'end'`: hold out the last examples (validation, then test at the very end), as the IWAE paper's
   * MNIST split does; a {@link Random}: hold out a seeded random choice.
   */
  readonly from: 'end' | Random;
}

/** The parts {@link splitDataset} returns; `validation`/`test` exist only when asked for. */
export interface SplitResult {
  readonly train: Subset;
  readonly validation?: Subset;
  readonly test?: Subset;
}

function count(size: number | undefined, n: number, what: string): number {
  if (size === undefined || size === 0) return 0;
  const k = size < 1 ? Math.round(size * n) : size;
  if (!(size > 0) || !Number.isInteger(k) || k > n) {
    throw new RangeError(`split: ${what} size ${size} must be a count in [1, ${n}] or a fraction in (0, 1)`);
  }
  return k;
}

/**
 * Splits `source` into train and held-out parts. With `from: 'end'` the held-out parts are the last
 * examples in order (`[train | validation | test]`); with a {@link Random} they are a seeded random
 * choice and every part keeps the source's order.
 */
export function splitDataset(source: Source, options: SplitOptions): SplitResult {
  const n = source.n;
  const nVal = count(options.validation, n, 'validation');
  const nTest = count(options.test, n, 'test');
  if (nVal + nTest > n) throw new RangeError(`split: validation ${nVal} + test ${nTest} exceed the ${n} examples of ${source.name}`);
  const nTrain = n - nVal - nTest;
  let order: Uint32Array;
  if (options.from === 'end') {
    order = range(0, n);
  } else {
    // Choose which examples go where at random, then keep each part in source order.
    const perm = options.from.permutation(n);
    order = new Uint32Array(n);
    const parts = [perm.subarray(0, nTrain), perm.subarray(nTrain, nTrain + nVal), perm.subarray(nTrain + nVal)];
    let o = 0;
    for (const p of parts) {
      p.sort();
      order.set(p, o);
      o += p.length;
    }
  }
  const result: { train: Subset; validation?: Subset; test?: Subset } = {
    train: subset(source, order.slice(0, nTrain), `${source.name}[train]`),
  };
  if (nVal > 0) result.validation = subset(source, order.slice(nTrain, nTrain + nVal), `${source.name}[validation]`);
  if (nTest > 0) result.test = subset(source, order.slice(nTrain + nVal), `${source.name}[test]`);
  return result;
}
