import { describe, expect, it } from 'vitest';
import { inverse, Matrix } from 'ml-matrix';
import { Random } from '../../engine/random.js';
import { featureMoments, frechetDistance, traceSqrtProduct, type FeatureMoments } from './frechet.js';

/** n draws from N(mean, L Lᵀ), row-major. */
function gaussianSample(mean: number[], l: number[][], n: number, rng: Random): Float32Array {
  const f = mean.length;
  const out = new Float32Array(n * f);
  const e = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(e);
    for (let a = 0; a < f; a++) out[i * f + a] = mean[a] + l[a].reduce((s, v, b) => s + v * e[b], 0);
  }
  return out;
}

const moments = (mean: number[], cov: Matrix): FeatureMoments => ({
  n: 0,
  f: mean.length,
  mean: Float64Array.from(mean),
  cov: Float64Array.from(cov.to1DArray()),
});

describe('Fréchet distance', () => {
  it('is 0 between a set and itself', () => {
    const x = gaussianSample(
      [1, -2, 0.5],
      [
        [1, 0, 0],
        [0.5, 2, 0],
        [-1, 0.3, 0.2],
      ],
      500,
      new Random(1),
    );
    const m = featureMoments(x, 3);
    expect(frechetDistance(m, m)).toBeLessThan(1e-9);
  });

  it('matches the closed form tr((Σ₁Σ₂)^½) = tr M for Σ₁ = P², Σ₂ = P⁻¹M²P⁻¹ (non-commuting)', () => {
    const p = new Matrix([
      [2, 0.5, 0.1],
      [0.5, 1.5, -0.3],
      [0.1, -0.3, 1],
    ]);
    const m = new Matrix([
      [1, 0.2, 0],
      [0.2, 0.7, 0.1],
      [0, 0.1, 0.4],
    ]);
    const pInv = inverse(p);
    const s1 = p.mmul(p);
    const s2 = pInv.mmul(m).mmul(m).mmul(pInv);
    expect(traceSqrtProduct(Float64Array.from(s1.to1DArray()), Float64Array.from(s2.to1DArray()), 3)).toBeCloseTo(m.trace(), 9);
    const d2 = frechetDistance(moments([0, 0, 0], s1), moments([1, 2, -1], s2));
    expect(d2).toBeCloseTo(6 + s1.trace() + s2.trace() - 2 * m.trace(), 9);
  });

  it('between two Gaussian samples, estimates the closed form of their distributions', () => {
    // Diagonal covariances commute: d² = ‖μ₁ − μ₂‖² + Σ_j (σ₁ⱼ − σ₂ⱼ)².
    const rng = new Random(7);
    const a = featureMoments(
      gaussianSample(
        [0, 0, 0, 0],
        [
          [1, 0, 0, 0],
          [0, 2, 0, 0],
          [0, 0, 0.5, 0],
          [0, 0, 0, 1],
        ],
        40000,
        rng,
      ),
      4,
    );
    const b = featureMoments(
      gaussianSample(
        [1, 0, -1, 0.5],
        [
          [2, 0, 0, 0],
          [0, 2, 0, 0],
          [0, 0, 1.5, 0],
          [0, 0, 0, 0.5],
        ],
        40000,
        rng,
      ),
      4,
    );
    const exact = 1 + 0 + 1 + 0.25 + (1 + 0 + 1 + 0.25);
    expect(frechetDistance(a, b)).toBeCloseTo(exact, 1);
  });

  it('rejects sets of different feature sizes', () => {
    const a = featureMoments(new Float32Array([0, 1, 2, 3]), 2);
    const b = featureMoments(new Float32Array([0, 1, 2, 3, 4, 5]), 3);
    expect(() => frechetDistance(a, b)).toThrow(/feature sizes differ \(2 vs 3\)/);
  });
});
