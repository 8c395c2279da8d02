/**
 * Moments of the aggregate posterior q(z) = (1/n) Σ_i q(z|x_i) per latent, against N(0, 1)'s mean 0,
 * variance 1, skewness 0 and excess kurtosis 0 (seed 000, "what about the other moments?").
 */

/** Per-latent mean, variance, skewness μ₃/μ₂^{3/2} and excess kurtosis μ₄/μ₂² − 3. */
export interface Moments {
  readonly mean: number[];
  readonly variance: number[];
  readonly skewness: number[];
  readonly excessKurtosis: number[];
}

function fromCentral(mean: number[], c2: Float64Array, c3: Float64Array, c4: Float64Array): Moments {
  const variance = Array.from(c2);
  return {
    mean,
    variance,
    skewness: variance.map((v, u) => c3[u] / v ** 1.5),
    excessKurtosis: variance.map((v, u) => c4[u] / (v * v) - 3),
  };
}

function columnMeans(x: ArrayLike<number>, n: number, d: number): number[] {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let u = 0; u < d; u++) m[u] += x[i * d + u];
  return Array.from(m, (v) => v / n);
}

/** Moments of the empirical distribution of `samples`, row-major [n, d] (population divisors). */
export function sampleMoments(samples: ArrayLike<number>, n: number, d: number): Moments {
  const mean = columnMeans(samples, n, d);
  const c2 = new Float64Array(d);
  const c3 = new Float64Array(d);
  const c4 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < d; u++) {
      const e = samples[i * d + u] - mean[u];
      const e2 = e * e;
      c2[u] += e2;
      c3[u] += e2 * e;
      c4[u] += e2 * e2;
    }
  }
  for (const c of [c2, c3, c4]) for (let u = 0; u < d; u++) c[u] /= n;
  return fromCentral(mean, c2, c3, c4);
}

/**
 * Exact moments of the Gaussian mixture (1/n) Σ_i N(m_i, s_i) per latent (means `mean`, variances
 * `variance`, row-major [n, d]): with e = m_i − E[z], the central moments are the averages of
 * E(z−c)² = e² + s, E(z−c)³ = e³ + 3es, E(z−c)⁴ = e⁴ + 6e²s + 3s² over the components.
 */
export function gaussianMixtureMoments(mean: ArrayLike<number>, variance: ArrayLike<number>, n: number, d: number): Moments {
  const c = columnMeans(mean, n, d);
  const c2 = new Float64Array(d);
  const c3 = new Float64Array(d);
  const c4 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < d; u++) {
      const e = mean[i * d + u] - c[u];
      const s = variance[i * d + u];
      c2[u] += e * e + s;
      c3[u] += e * e * e + 3 * e * s;
      c4[u] += e ** 4 + 6 * e * e * s + 3 * s * s;
    }
  }
  for (const c of [c2, c3, c4]) for (let u = 0; u < d; u++) c[u] /= n;
  return fromCentral(c, c2, c3, c4);
}
