import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { cholesky, inverseSpd, symmetricEigen } from './linalg.js';
import { ppcaLogLikelihood } from './ppca.js';
import { gaussianMixture, pinwheel, rings } from './synthetic.js';

describe('linear algebra', () => {
  it('Jacobi finds the eigenpairs of a symmetric matrix', () => {
    const rng = new Random(2);
    const d = 12;
    const b = rng.fillNormal(new Float64Array(d * d));
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) a[i * d + j] += b[i * d + k] * b[j * d + k];
    const { values, vectors } = symmetricEigen(a, d);
    for (let k = 1; k < d; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j] * vectors[j * d + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * d + k], 8);
      }
    }
    expect(Array.from(symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values)).toEqual([3, 1].map((v) => expect.closeTo(v, 12)));
    const { inverse, logDet } = inverseSpd(a, d);
    let tr = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) tr += a[i * d + j] * inverse[j * d + i];
    expect(tr).toBeCloseTo(d, 8);
    expect(logDet).toBeCloseTo(
      values.reduce((s, v) => s + Math.log(v), 0),
      8,
    );
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });
});

describe('pPCA', () => {
  it('has the exact Gaussian log-likelihood (1-D check)', () => {
    // d = 2, q = 1, W = [1, 0], sigma^2 = 1: C = diag(2, 1). One point at (1, 2).
    const ll = ppcaLogLikelihood(Float32Array.of(1, 2), 1, { d: 2, q: 1, W: Float64Array.of(1, 0), mu: new Float64Array(2), sigma2: 1 });
    const expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(2) - 0.5 * (1 / 2 + 4);
    expect(ll).toBeCloseTo(expected, 12);
  });
});

describe('synthetic sets', () => {
  it('makes a Gaussian mixture around its known means', () => {
    const { dataset, params } = gaussianMixture(new Random(4), { n: 4000, k: 4, d: 3, std: 0.5 });
    expect(dataset).toMatchObject({ n: 4000, shape: [3], range: 'real' });
    const sums = new Float64Array(12);
    const counts = new Float64Array(4);
    for (let i = 0; i < 4000; i++) {
      const c = dataset.labels![i];
      counts[c]++;
      for (let j = 0; j < 3; j++) sums[c * 3 + j] += dataset.data[i * 3 + j];
    }
    for (let c = 0; c < 4; c++) for (let j = 0; j < 3; j++) expect(sums[c * 3 + j] / counts[c]).toBeCloseTo(params.means[c * 3 + j], 1);
  });

  it('makes rings at radii 1..k and a 5-arm pinwheel', () => {
    const r = rings(new Random(1), { n: 3000, k: 3, noise: 0.05 });
    for (let i = 0; i < 3000; i++) {
      const radius = Math.hypot(r.data[2 * i], r.data[2 * i + 1]);
      expect(Math.abs(radius - (r.labels![i] + 1))).toBeLessThan(0.3);
    }
    const p = pinwheel(new Random(1), { n: 2000 });
    expect(p).toMatchObject({ n: 2000, shape: [2] });
    expect(new Set(p.labels).size).toBe(5);
    let meanR = 0;
    for (let i = 0; i < 2000; i++) meanR += Math.hypot(p.data[2 * i], p.data[2 * i + 1]) / 2000;
    expect(meanR).toBeGreaterThan(0.9);
    expect(meanR).toBeLessThan(1.2);
  });
});
