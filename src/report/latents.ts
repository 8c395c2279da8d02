/**
 * What the report measures in latent space: the posterior mean μ(x) and variance σ²(x) of test
 * examples, and per latent the two halves of the variance law (seed 000), E_x[σ_i²(x)] + Var_x[μ_i(x)] = 1
 * at the optimum of the KL term, which separates active latents (Var μ ≈ 1, E σ² ≈ 0) from inactive ones
 * (Var μ ≈ 0, E σ² ≈ 1; seed 003).
 */
import type { Encoded } from '../eval/encode.js';

/** One latent's row of the variance-law chart. */
export interface VarianceLawRow {
  readonly latent: number;
  /** E_x[σ_i²(x)], the mean posterior variance. */
  readonly meanSigma2: number;
  /** Var_x[μ_i(x)], the variance of the posterior mean (population, divisor n): A_i of active units. */
  readonly varMu: number;
  /** Mean KL(q(z_i|x) ‖ N(0, 1)) over the examples, or null without a closed form. */
  readonly kl: number | null;
}

/**
 * Per latent i: E_x[σ_i²(x)], Var_x[μ_i(x)] and the mean KL, accumulated in float64. Their sum
 * E[σ²] + Var[μ] is 1 for every latent at the KL optimum (seed 000, "the variance law").
 */
export function varianceLaw(e: Encoded): VarianceLawRow[] {
  const { n, d } = e;
  const rows: VarianceLawRow[] = [];
  for (let i = 0; i < d; i++) {
    let s2 = 0;
    let m = 0;
    let k = 0;
    for (let r = 0; r < n; r++) {
      s2 += e.sigma2[r * d + i];
      m += e.mu[r * d + i];
      if (e.kl) k += e.kl[r * d + i];
    }
    m /= n;
    let v = 0;
    for (let r = 0; r < n; r++) v += (e.mu[r * d + i] - m) ** 2;
    rows.push({ latent: i, meanSigma2: s2 / n, varMu: v / n, kl: e.kl ? k / n : null });
  }
  return rows;
}

/** The latent indices ordered by Var_x[μ_i(x)], largest first (the most active latents first). */
export function byActivity(law: readonly VarianceLawRow[]): number[] {
  return [...law].sort((a, b) => b.varMu - a.varMu || a.latent - b.latent).map((r) => r.latent);
}

/**
 * The standard normal quantile Φ⁻¹(p), p in (0, 1) (Acklam's rational approximation, relative error
 * below 1.2e-9): the grid of the decoded latent manifold is placed at Gaussian quantiles (seed 004).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const dd = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((dd[0] * q + dd[1]) * q + dd[2]) * q + dd[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
