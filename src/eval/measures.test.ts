/** ELBO surgery, aggregate-posterior moments and the PCA / pPCA baselines against known answers. */
import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { ppcaLogLikelihood as ppcaLogLikelihoodByInverse } from '../data/ppca.js';
import { gaussianMixtureMoments, sampleMoments } from './moments.js';
import { fitPca, fitPpca, pcaReconstructionMse, ppcaLogLikelihood } from './pca.js';
import type { LayerPosterior } from './posteriorLayers.js';
import { elboSurgery } from './surgery.js';

const logNormal = (z: number, m: number, v: number) => -0.5 * (Math.log(2 * Math.PI * v) + (z - m) ** 2 / v);

/** Numerical ∫ f(z) dz on [−30, 30] (midpoint rule, 600,000 cells). */
function integrate(f: (z: number) => number): number {
  const h = 1e-4;
  let s = 0;
  for (let z = -30 + h / 2; z < 30; z += h) s += f(z);
  return s * h;
}

/** N distinct 1-D posteriors, each repeated `copies` times (repeats change neither q(z) nor I[n; z]). */
function posteriors(mu: number[], v: number[], copies: number, rng: Random): LayerPosterior {
  const n = mu.length * copies;
  const mean = new Float32Array(n);
  const variance = new Float32Array(n);
  const sample = new Float32Array(n);
  const kl = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % mu.length;
    mean[i] = mu[c];
    variance[i] = v[c];
    sample[i] = mu[c] + Math.sqrt(v[c]) * rng.normal();
    kl[i] = 0.5 * (mu[c] ** 2 + v[c] - 1 - Math.log(v[c]));
  }
  return { name: 'z', n, d: 1, mean, variance, sample, kl, gaussian: true };
}

describe('ELBO surgery (Hoffman & Johnson 2016; seed 002)', () => {
  const mu = [-2, -0.5, 0.4, 1.5, 3];
  const v = [0.3, 0.05, 0.5, 0.2, 1];
  const q = (z: number) => mu.reduce((s, m, c) => s + Math.exp(logNormal(z, m, v[c])), 0) / mu.length;

  it('avg KL = I[n; z] + KL(q(z) ‖ p(z)) with every term against its value by quadrature; MI ≤ log N', async () => {
    const post = posteriors(mu, v, 2000, new Random(1));
    const s = await elboSurgery(post, { chunk: 512 });
    const avgKl = mu.reduce((t, m, c) => t + 0.5 * (m * m + v[c] - 1 - Math.log(v[c])), 0) / mu.length;
    const marginal = integrate((z) => {
      const p = q(z);
      return p > 0 ? p * (Math.log(p) - logNormal(z, 0, 1)) : 0;
    });
    expect(s.avgKl).toBeCloseTo(avgKl, 5);
    expect(Math.abs(s.marginalKl - marginal)).toBeLessThan(4 * s.marginalKlSe);
    expect(s.marginalKlSe).toBeLessThan(0.03);
    expect(s.mutualInformation).toBeCloseTo(s.avgKl - s.marginalKl, 10);
    expect(Math.abs(s.mutualInformation - (avgKl - marginal))).toBeLessThan(4 * s.marginalKlSe);
    expect(s.logN).toBeCloseTo(Math.log(10000), 10);
    expect(s.mutualInformation).toBeLessThanOrEqual(Math.log(mu.length)); // 5 distinct posteriors
    expect(s.mutualInformation).toBeGreaterThan(0);
  });

  it('for any prior: with p(z) = N(0, 4) given as log p(z) rows', async () => {
    const post = posteriors(mu, v, 2000, new Random(2));
    post.kl!.fill(NaN); // no closed form used: the avg KL by Monte Carlo with the same draws
    const s = await elboSurgery(
      { ...post, kl: null },
      {
        chunk: 1000,
        logPrior: (z, rows) => Float64Array.from({ length: rows }, (_, r) => logNormal(z[r], 0, 4)),
      },
    );
    const avgKl = mu.reduce((t, m, c) => t + 0.5 * (Math.log(4 / v[c]) + (v[c] + m * m) / 4 - 1), 0) / mu.length;
    const marginal = integrate((z) => {
      const p = q(z);
      return p > 0 ? p * (Math.log(p) - logNormal(z, 0, 4)) : 0;
    });
    expect(Math.abs(s.avgKl - avgKl)).toBeLessThan(0.05);
    expect(Math.abs(s.marginalKl - marginal)).toBeLessThan(4 * s.marginalKlSe);
    expect(s.mutualInformation).toBeLessThanOrEqual(Math.log(mu.length));
  });

  it('one posterior: q(z) = q(z|x), so the mutual information is 0 up to Monte Carlo error', async () => {
    const s = await elboSurgery(posteriors([0.7], [0.2], 3000, new Random(3)), { chunk: 1000 });
    expect(Math.abs(s.mutualInformation)).toBeLessThan(4 * s.marginalKlSe);
  });
});

describe('moments of the aggregate posterior (seed 000)', () => {
  // The mixture ½ N(−1, 0.25) + ½ N(2, 1): its moments by quadrature.
  const comps = [
    { m: -1, v: 0.25 },
    { m: 2, v: 1 },
  ];
  const pdf = (z: number) => comps.reduce((s, c) => s + 0.5 * Math.exp(logNormal(z, c.m, c.v)), 0);
  const m1 = integrate((z) => z * pdf(z));
  const c = (k: number) => integrate((z) => (z - m1) ** k * pdf(z));
  const [c2, c3, c4] = [c(2), c(3), c(4)];
  const expected = { mean: m1, variance: c2, skewness: c3 / c2 ** 1.5, excessKurtosis: c4 / c2 ** 2 - 3 };

  it('exact for a Gaussian mixture of posteriors', () => {
    const r = gaussianMixtureMoments([-1, 2], [0.25, 1], 2, 1);
    expect(r.mean[0]).toBeCloseTo(expected.mean, 6);
    expect(r.variance[0]).toBeCloseTo(expected.variance, 6);
    expect(r.skewness[0]).toBeCloseTo(expected.skewness, 6);
    expect(r.excessKurtosis[0]).toBeCloseTo(expected.excessKurtosis, 6);
  });

  it('from samples of the mixture, within sampling error; a standard normal gives 0, 1, 0, 0', () => {
    const rng = new Random(4);
    const n = 200000;
    const s = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const k = comps[rng.uniform() < 0.5 ? 0 : 1];
      s[2 * i] = k.m + Math.sqrt(k.v) * rng.normal();
      s[2 * i + 1] = rng.normal();
    }
    const r = sampleMoments(s, n, 2);
    expect(Math.abs(r.mean[0] - expected.mean)).toBeLessThan(0.02);
    expect(Math.abs(r.variance[0] - expected.variance)).toBeLessThan(0.03);
    expect(Math.abs(r.skewness[0] - expected.skewness)).toBeLessThan(0.03);
    expect(Math.abs(r.excessKurtosis[0] - expected.excessKurtosis)).toBeLessThan(0.05);
    expect(Math.abs(r.mean[1])).toBeLessThan(0.01);
    expect(Math.abs(r.variance[1] - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.skewness[1])).toBeLessThan(0.03);
    expect(Math.abs(r.excessKurtosis[1])).toBeLessThan(0.06);
  });
});

describe('PCA and pPCA baselines (seed 004)', () => {
  const n = 400;
  const D = 6;
  const rng = new Random(5);
  // Correlated data: x = A g + noise, g ∈ R³.
  const A = Array.from({ length: D * 3 }, () => rng.normal());
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const g = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < D; j++)
      data[i * D + j] = 0.5 + A[j * 3] * g[0] + 0.5 * A[j * 3 + 1] * g[1] + 0.2 * A[j * 3 + 2] * g[2] + 0.1 * rng.normal();
  }

  it('the PCA error on the fitted data equals the sum of the discarded eigenvalues, and all eigenvalues sum to the trace', async () => {
    const all = await fitPca(data, n, D, D, { threads: 1 });
    const fit = await fitPca(data, n, D, 2, { threads: 1 });
    let trace = 0;
    for (let j = 0; j < D; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += data[i * D + j];
      m /= n;
      for (let i = 0; i < n; i++) trace += (data[i * D + j] - m) ** 2 / n;
    }
    const l = Array.from(all.variances);
    expect(l.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 4);
    expect(fit.totalVariance).toBeCloseTo(trace, 8);
    expect(l[0]).toBeGreaterThanOrEqual(l[1]);
    expect(pcaReconstructionMse(fit, data, n)).toBeCloseTo(
      l.slice(2).reduce((s, v) => s + v, 0),
      4,
    );
  });

  it('the pPCA log-likelihood equals the closed form computed with the inverse covariance (data/ppca.ts)', async () => {
    const fit = await fitPca(data, n, D, 2, { threads: 1 });
    const byInverse = ppcaLogLikelihoodByInverse(data, n, await fitPpca(data, n, D, 2, { threads: 1 }));
    expect(ppcaLogLikelihood(fit, data, n)).toBeCloseTo(byInverse, 4);
  });
});
