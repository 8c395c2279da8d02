import { describe, expect, it } from 'vitest';
import { LatentBuckets, normalCdf, normalQuantile } from './latentBuckets.js';

describe('equal-mass buckets of N(0, 1)', () => {
  it('Φ matches reference values (0.5·erfc(−t/√2) in double precision) to 1e-13 relative (1e-8 in the far tail)', () => {
    const ref: [number, number][] = [
      [-8, 6.220960574271819e-16],
      [-5, 2.866515718791946e-7],
      [-3, 0.0013498980316300957],
      [-1, 0.15865525393145707],
      [-0.3, 0.3820885778110474],
      [0, 0.5],
      [0.5, 0.6914624612740131],
      [1.5, 0.9331927987311419],
      [3, 0.9986501019683699],
    ];
    for (const [t, p] of ref) expect(Math.abs(normalCdf(t) - p) / p).toBeLessThan(t < -4 ? 1e-8 : 1e-13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
  });

  it('the prior is uniform on the buckets and a posterior puts its mass around μ', () => {
    const b = new LatentBuckets(8, 16);
    expect(b.edges[128]).toBeCloseTo(0, 14);
    for (let j = 0; j < 256; j += 17) expect(normalCdf(b.edges[j + 1]) - normalCdf(b.edges[j])).toBeCloseTo(1 / 256, 12);
    const q = b.posterior(1, 0.1);
    let mean = 0;
    for (let j = 0; j < 256; j++) mean += ((q.cdf(j + 1) - q.cdf(j)) / 2 ** 16) * b.centres[j];
    expect(mean).toBeCloseTo(1, 2);
    for (let j = 0; j < 256; j++) expect(q.cdf(j + 1) - q.cdf(j)).toBeGreaterThanOrEqual(1);
  });
});
