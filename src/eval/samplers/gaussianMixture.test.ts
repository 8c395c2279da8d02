import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { fitGaussianMixture, mixtureLogLikelihood, sampleGaussianMixture, type GaussianMixture } from './gaussianMixture.js';

const truth: GaussianMixture = {
  k: 3,
  d: 2,
  covariance: 'full',
  logLikelihood: 0,
  iterations: 0,
  weights: [0.5, 0.3, 0.2],
  means: [
    [-4, 0],
    [3, 3],
    [2, -4],
  ],
  covariances: [
    [1, 0.6, 0.6, 1],
    [0.5, 0, 0, 2],
    [0.3, -0.2, -0.2, 0.4],
  ],
};

describe('Gaussian mixture by EM', () => {
  const data = sampleGaussianMixture(truth, 6000, new Random(11));

  it('recovers a known mixture with full covariances', () => {
    const fit = fitGaussianMixture(data, 2, { k: 3, covariance: 'full', seed: 1 });
    const order = [0, 1, 2].map((c) => fit.means.findIndex((m) => Math.hypot(m[0] - truth.means[c][0], m[1] - truth.means[c][1]) < 0.2));
    expect(new Set(order).size).toBe(3);
    order.forEach((f, c) => {
      expect(fit.weights[f]).toBeCloseTo(truth.weights[c], 1);
      fit.covariances[f].forEach((v, i) => expect(v).toBeCloseTo(truth.covariances[c][i], 0));
      expect(Math.abs(fit.covariances[f][1] - truth.covariances[c][1])).toBeLessThan(0.1);
    });
    // The fit is at least as likely as the truth on its own data (it maximises the likelihood).
    expect(fit.logLikelihood).toBeGreaterThan(mixtureLogLikelihood(truth, data) - 1e-3);
  });

  it('with diagonal covariances finds the means and weights, and is reproducible from its seed', () => {
    const fit = fitGaussianMixture(data, 2, { k: 3, covariance: 'diag', seed: 2 });
    for (let c = 0; c < 3; c++) {
      const f = fit.means.findIndex((m) => Math.hypot(m[0] - truth.means[c][0], m[1] - truth.means[c][1]) < 0.3);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(fit.weights[f]).toBeCloseTo(truth.weights[c], 1);
      expect(fit.covariances[f]).toHaveLength(2);
    }
    expect(fitGaussianMixture(data, 2, { k: 3, covariance: 'diag', seed: 2 })).toEqual(fit);
    const a = sampleGaussianMixture(fit, 10, new Random(5));
    expect(a).toEqual(sampleGaussianMixture(fit, 10, new Random(5)));
    expect(a).toHaveLength(20);
  });
});
