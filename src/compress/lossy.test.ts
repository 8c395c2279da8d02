import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { fitPca } from '../eval/pca.js';
import { bucketOf, pcaRatePoint } from './lossy.js';
import { LatentBuckets } from './latentBuckets.js';

describe('lossy coding pieces', () => {
  it('PCA at a rate: the variances and directions of a known low-rank model, and the distortion of its coded coefficients', async () => {
    // x = 0.5 + 0.1 a e_0 + 0.05 b e_1 + 0.005 ε in 20 dimensions (inside [0, 1]): variances 0.01, 0.0025 (plus the noise's 2.5e-5).
    const D = 20;
    const n = 4000;
    const rng = new Random(3);
    const x = new Float32Array(n * D);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      for (let j = 0; j < D; j++) x[i * D + j] = 0.5 + 0.005 * rng.normal() + (j === 0 ? 0.1 * a : 0) + (j === 1 ? 0.05 * b : 0);
    }
    const pca = await fitPca(x, n, D, 2, { threads: 1 });
    expect(pca.variances[0] / 0.01).toBeCloseTo(1, 1);
    expect(pca.variances[1] / 0.0025).toBeCloseTo(1, 1);
    expect(Math.abs(pca.components[0])).toBeCloseTo(1, 3);
    expect(Math.abs(pca.components[D + 1])).toBeCloseTo(1, 3);
    // With fine quantisation the error is the discarded noise (18 of 20 dims at 0.0025, averaged over 20).
    const fine = pcaRatePoint(pca, x, n, 12);
    expect(fine.mse / 2.5e-5).toBeCloseTo(18 / 20, 1);
    expect(fine.rate).toBe(24);
    // Fewer bits, more distortion.
    expect(pcaRatePoint(pca, x, n, 2).mse).toBeGreaterThan(pcaRatePoint(pca, x, n, 4).mse);
  });

  it('bucket indices invert the centres: a centre falls in its own bucket', () => {
    for (const bits of [1, 3, 8]) {
      const c = new LatentBuckets(bits, bits + 1).centres;
      for (let j = 0; j < c.length; j++) expect(bucketOf(c[j], bits)).toBe(j);
    }
  });
});
