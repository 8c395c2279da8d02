import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { fitPca, pcaTransform } from './pca.js';

describe('fitPca (randomized subspace iteration)', () => {
  it('recovers the principal axes and variances of data with a known covariance', () => {
    // x = mean + 3 s₁ e₁' + 2 s₂ e₂' + 0.1 noise, e' two orthonormal directions in R^50:
    // the top variances are 9 + 0.01 and 4 + 0.01, along e₁' and e₂'.
    const rng = new Random(5);
    const D = 50;
    const n = 4000;
    const e1 = new Float64Array(D);
    const e2 = new Float64Array(D);
    for (let i = 0; i < D; i++) (i % 2 === 0 ? e1 : e2)[i] = Math.sqrt(2 / D);
    const x = new Float32Array(n * D);
    for (let a = 0; a < n; a++) {
      const s1 = rng.normal();
      const s2 = rng.normal();
      for (let i = 0; i < D; i++) x[a * D + i] = 1 + 3 * s1 * e1[i] + 2 * s2 * e2[i] + 0.1 * rng.normal();
    }
    const p = fitPca(x, n, D, 2);
    expect(p.variances[0]).toBeGreaterThan(9 * 0.93);
    expect(p.variances[0]).toBeLessThan(9 * 1.07);
    expect(p.variances[1]).toBeGreaterThan(4 * 0.93);
    expect(p.variances[1]).toBeLessThan(4 * 1.07);
    let dot1 = 0;
    let dot2 = 0;
    for (let i = 0; i < D; i++) {
      dot1 += p.components[i * 2] * e1[i];
      dot2 += p.components[i * 2 + 1] * e2[i];
    }
    expect(Math.abs(dot1)).toBeGreaterThan(0.999);
    expect(Math.abs(dot2)).toBeGreaterThan(0.999);
    const z = pcaTransform(p, x, n);
    let m = 0;
    for (let a = 0; a < n; a++) m += z[a * 2] / n;
    expect(Math.abs(m)).toBeLessThan(1e-3);
  });
});
