/** The mean of per-example values and its standard error, in float64. */

/** A mean over examples with its standard error. */
export interface MeanWithError {
  readonly mean: number;
  /** s / √n with s the sample standard deviation (divisor n − 1); 0 when n < 2. */
  readonly se: number;
  readonly n: number;
}

/** Mean and standard error s/√n of `values` (two passes, float64). */
export function meanWithError(values: ArrayLike<number>): MeanWithError {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = n > 0 ? s / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0, n };
}
