/**
 * Asperti's variance law (seed 000; inactive variables, seed 003). For a latent u with posterior
 * N(μ_u(x), σ_u²(x)), the KL to N(0, 1) averaged over the data is minimised when
 * E_x[μ_u²] + E_x[σ_u²] = 1; at a trained model this shows as Var_x[μ_u] + E_x[σ_u²] ≈ 1 (E_x[μ_u] ≈ 0).
 * An inactive latent has Var_x[μ_u] ≈ 0 and E_x[σ_u²] ≈ 1: it carries no information about x.
 * The law is a statement about the standard normal prior: for other priors the numbers are reported
 * but `standardPrior` is false and no "= 1" line applies.
 */
import { ACTIVE_UNIT_THRESHOLD } from './activeUnits.js';

/** The variance law's terms per latent (float64 sums over the n examples, population divisors). */
export interface VarianceLaw {
  /** Var_x[μ_u(x)] (= A_u, the active-units statistic). */
  readonly varMu: number[];
  /** E_x[σ_u²(x)]. */
  readonly meanSigma2: number[];
  /** E_x[μ_u(x)²]. */
  readonly meanMu2: number[];
  /** E_x[μ_u²] + E_x[σ_u²]: equals 1 at the optimum of the average KL to N(0, 1) (seed 000). */
  readonly secondMoment: number[];
  /** Var_x[μ_u] + E_x[σ_u²]: the total variance of z_u under the aggregate posterior. */
  readonly totalVariance: number[];
  /** Inactive (seed 003): Var_x[μ_u] ≤ 0.01 and |E_x[σ_u²] − 1| ≤ 0.1. */
  readonly inactive: boolean[];
  /** True when the prior is N(0, I), the only prior the "= 1" line is about. */
  readonly standardPrior: boolean;
}

/** The variance law of n posteriors with means `mean` and variances `variance`, row-major [n, d]. */
export function varianceLawOf(
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  n: number,
  d: number,
  standardPrior: boolean,
): VarianceLaw {
  const m1 = new Float64Array(d);
  const m2 = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < d; u++) {
      const mu = mean[i * d + u];
      m1[u] += mu;
      m2[u] += mu * mu;
      s2[u] += variance[i * d + u];
    }
  }
  const varMu: number[] = [];
  const meanSigma2: number[] = [];
  const meanMu2: number[] = [];
  for (let u = 0; u < d; u++) {
    const c = m1[u] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (mean[i * d + u] - c) ** 2; // second pass: no cancellation
    varMu.push(v / n);
    meanSigma2.push(s2[u] / n);
    meanMu2.push(m2[u] / n);
  }
  return {
    varMu,
    meanSigma2,
    meanMu2,
    secondMoment: meanMu2.map((v, u) => v + meanSigma2[u]),
    totalVariance: varMu.map((v, u) => v + meanSigma2[u]),
    inactive: varMu.map((v, u) => v <= ACTIVE_UNIT_THRESHOLD && Math.abs(meanSigma2[u] - 1) <= 0.1),
    standardPrior,
  };
}

/** Active units (Burda et al. 2016; seed 002): the number of latents with A_u = Var_x[μ_u] > 0.01. */
export function countActive(varMu: readonly number[], threshold = ACTIVE_UNIT_THRESHOLD): number {
  return varMu.filter((a) => a > threshold).length;
}
