/**
 * Lasso regression by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010, "Regularization
 * paths for generalized linear models via coordinate descent", eq. 5 with covariance updates), the
 * regressor of the DCI metric as Eastwood & Williams 2018 use it (their importances are |w|). Written
 * here: over d ≤ a few dozen standardised codes it is one Gram matrix and a soft threshold (thirty
 * lines), less than a dependency would cost.
 */

/** A fitted lasso on standardised features: y ≈ mean_y + std_y · Σ_j w_j (x_j − mean_j) / std_j. */
export interface LassoModel {
  /** Weights on the standardised features. */
  readonly weights: Float64Array;
  readonly xMean: Float64Array;
  readonly xStd: Float64Array;
  readonly yMean: number;
  readonly yStd: number;
}

const softThreshold = (z: number, g: number): number => (z > g ? z - g : z < -g ? z + g : 0);

/**
 * Minimises (1/2n) ‖ỹ − X̃ w‖² + α ‖w‖₁ over w, with X̃ and ỹ the columns of `x` [n, d] and `y`
 * standardised to mean 0 and variance 1 (a constant column gets weight 0).
 */
export function fitLasso(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  alpha: number,
  opts: { maxSweeps?: number; tol?: number } = {},
): LassoModel {
  const xMean = new Float64Array(d);
  const xStd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xMean[j] += x[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xStd[j] += (x[i * d + j] - xMean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) xStd[j] = Math.sqrt(xStd[j]);
  let yMean = 0;
  let yVar = 0;
  for (let i = 0; i < n; i++) yMean += y[i] / n;
  for (let i = 0; i < n; i++) yVar += (y[i] - yMean) ** 2 / n;
  const yStd = Math.sqrt(yVar) || 1;
  const live = Array.from({ length: d }, (_, j) => xStd[j] > 1e-12);
  // G = X̃ᵀX̃ / n and c = X̃ᵀỹ / n.
  const G = new Float64Array(d * d);
  const c = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = live[j] ? (x[i * d + j] - xMean[j]) / xStd[j] : 0;
    const yi = (y[i] - yMean) / yStd;
    for (let j = 0; j < d; j++) {
      if (row[j] === 0) continue;
      c[j] += (row[j] * yi) / n;
      for (let l = 0; l < d; l++) G[j * d + l] += (row[j] * row[l]) / n;
    }
  }
  const w = new Float64Array(d);
  const tol = opts.tol ?? 1e-7;
  for (let sweep = 0; sweep < (opts.maxSweeps ?? 10_000); sweep++) {
    let change = 0;
    for (let j = 0; j < d; j++) {
      if (!live[j]) continue;
      // w_j ← S(c_j − Σ_{l≠j} G_jl w_l, α) / G_jj  (Friedman et al. 2010, eq. 5)
      let r = c[j];
      for (let l = 0; l < d; l++) if (l !== j) r -= G[j * d + l] * w[l];
      const next = softThreshold(r, alpha) / G[j * d + j];
      change = Math.max(change, Math.abs(next - w[j]));
      w[j] = next;
    }
    if (change < tol) break;
  }
  return { weights: w, xMean, xStd, yMean, yStd };
}

/** Predictions of `model` for the `n` rows of `x` [n, d]. */
export function predictLasso(model: LassoModel, x: ArrayLike<number>, n: number): Float64Array {
  const d = model.weights.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) if (model.xStd[j] > 1e-12) s += (model.weights[j] * (x[i * d + j] - model.xMean[j])) / model.xStd[j];
    out[i] = model.yMean + model.yStd * s;
  }
  return out;
}
