import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { Random } from '../engine/random.js';
import { meanAndCovariance, ppcaCovariance, ppcaLogLikelihood, randomPpcaParams, samplePpca } from '../data/ppca.js';
import { fitPca, fitPpca, leadingComponents, pcaReconstructionMse, pcaTransform } from './pca.js';

describe('top-k PCA by subspace iteration', () => {
  it('matches a full eigendecomposition of the covariance (ml-matrix) on correlated data', async () => {
    const rng = new Random(3);
    const n = 2000;
    const D = 40;
    const A = rng.fillNormal(new Float64Array(D * D));
    const data = new Float32Array(n * D);
    const g = new Float64Array(D);
    for (let i = 0; i < n; i++) {
      rng.fillNormal(g);
      // x = A diag(1/(1+k)) g: a spread-out spectrum without large gaps.
      for (let r = 0; r < D; r++) {
        let s = 0;
        for (let k = 0; k < D; k++) s += (A[r * D + k] * g[k]) / (1 + k);
        data[i * D + r] = s;
      }
    }
    const { cov } = meanAndCovariance(data, n, D);
    const evd = new EigenvalueDecomposition(new Matrix(Array.from({ length: D }, (_, r) => Array.from(cov.subarray(r * D, r * D + D)))), {
      assumeSymmetric: true,
    });
    const order = evd.realEigenvalues.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]);
    const q = 6;
    const fit = await fitPca(data, n, D, q, { threads: 1 });
    let trace = 0;
    for (let r = 0; r < D; r++) trace += cov[r * D + r];
    expect(fit.totalVariance).toBeCloseTo(trace, 8);
    for (let k = 0; k < q; k++) {
      expect(fit.variances[k] / order[k][0]).toBeCloseTo(1, 5);
      let dot = 0;
      for (let r = 0; r < D; r++) dot += fit.components[k * D + r] * evd.eigenvectorMatrix.get(r, order[k][1]);
      expect(Math.abs(dot)).toBeCloseTo(1, 4);
    }
    // On the fitted data, the reconstruction error is the sum of the discarded eigenvalues.
    const discarded = order.slice(q).reduce((s, o) => s + o[0], 0);
    expect(pcaReconstructionMse(fit, data, n) / discarded).toBeCloseTo(1, 5);
    expect(
      pcaReconstructionMse(leadingComponents(fit, 2), data, n) / (discarded + order[2][0] + order[3][0] + order[4][0] + order[5][0]),
    ).toBeCloseTo(1, 5);
  });

  it('finds the principal axes and variances of high-dimensional data with a known covariance, and centred coefficients', async () => {
    // x = 1 + 3 s₁ e₁ + 2 s₂ e₂ + 0.1 ε in R^2048, e₁ and e₂ orthonormal: the top variances are
    // 9 + 0.01 and 4 + 0.01 (up to sampling error), along e₁ and e₂.
    const rng = new Random(5);
    const D = 2048;
    const n = 1500;
    const e1 = new Float64Array(D);
    const e2 = new Float64Array(D);
    for (let i = 0; i < D; i++) (i % 2 === 0 ? e1 : e2)[i] = Math.sqrt(2 / D);
    const x = new Float32Array(n * D);
    for (let a = 0; a < n; a++) {
      const s1 = rng.normal();
      const s2 = rng.normal();
      for (let i = 0; i < D; i++) x[a * D + i] = 1 + 3 * s1 * e1[i] + 2 * s2 * e2[i] + 0.1 * rng.normal();
    }
    const p = await fitPca(x, n, D, 2, { threads: 1 });
    expect(p.variances[0] / 9.01).toBeGreaterThan(0.9);
    expect(p.variances[0] / 9.01).toBeLessThan(1.1);
    expect(p.variances[1] / 4.01).toBeGreaterThan(0.9);
    expect(p.variances[1] / 4.01).toBeLessThan(1.1);
    let dot1 = 0;
    let dot2 = 0;
    for (let i = 0; i < D; i++) {
      dot1 += p.components[i] * e1[i];
      dot2 += p.components[D + i] * e2[i];
    }
    expect(Math.abs(dot1)).toBeGreaterThan(0.99);
    expect(Math.abs(dot2)).toBeGreaterThan(0.99);
    const z = pcaTransform(p, x, n);
    let m = 0;
    let v = 0;
    for (let a = 0; a < n; a++) {
      m += z[a * 2] / n;
      v += z[a * 2] ** 2 / n;
    }
    expect(Math.abs(m)).toBeLessThan(1e-3);
    expect(v / p.variances[0]).toBeCloseTo(1, 4);
  });

  it('rejects impossible sizes', async () => {
    await expect(fitPca(new Float32Array(12), 4, 3, 4)).rejects.toThrow(/1 <= q <= D/);
    await expect(fitPpca(new Float32Array(12), 4, 3, 3)).rejects.toThrow(/q < d/);
  });
});

describe('pPCA on top of it', () => {
  it('recovers the true W W^T and sigma^2 from data, in closed form (Tipping & Bishop 1999)', async () => {
    const rng = new Random(11);
    const truth = randomPpcaParams(8, 3, 0.2, rng);
    const n = 40_000;
    const ds = samplePpca(truth, n, rng);
    expect(ds).toMatchObject({ n, shape: [8], range: 'real' });
    const fit = await fitPpca(ds.data as Float32Array, n, 8, 3, { threads: 1 });
    expect(fit.sigma2).toBeCloseTo(0.2, 1);
    expect(Math.abs(fit.sigma2 - 0.2) / 0.2).toBeLessThan(0.05);
    const c0 = ppcaCovariance(truth);
    const c1 = ppcaCovariance(fit);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < 64; i++) {
      err += (c0[i] - c1[i]) ** 2;
      norm += c0[i] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.03);
    for (let r = 0; r < 8; r++) expect(fit.mu[r]).toBeCloseTo(truth.mu[r], 1);
    // The ML solution beats the truth on the data it was fitted to, but only just.
    const llFit = ppcaLogLikelihood(ds.data, n, fit);
    const llTrue = ppcaLogLikelihood(ds.data, n, truth);
    expect(llFit).toBeGreaterThanOrEqual(llTrue);
    expect(llFit - llTrue).toBeLessThan(0.01);
    // And beats any other q-dimensional solution, e.g. a shrunken W.
    expect(ppcaLogLikelihood(ds.data, n, { ...fit, W: fit.W.map((w) => 0.9 * w) })).toBeLessThan(llFit);
  });
});
