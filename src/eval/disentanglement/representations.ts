/**
 * Reference representations with known scores: the ground-truth factors themselves, a fixed linear
 * mix of them (a rotation entangles them), and pure noise. The metric tests check their known
 * answers; the baselines of Higgins et al. 2017 on images are in `dspritesRepresentations.ts`.
 */
import { Random } from '../../engine/random.js';
import type { FactorSpace, Representation } from './factors.js';
import { orthonormalizeColumns } from '../pca.js';

/** The factor indices as codes: r(v) = v (size K). */
export function groundTruthRepresentation(space: FactorSpace): Representation {
  const K = space.sizes.length;
  return {
    name: 'ground truth',
    size: K,
    encode: (factors, n) => Promise.resolve(Float32Array.from(factors.subarray(0, n * K))),
  };
}

/**
 * r(v) = M s(v) with s the factors standardised to mean 0, variance 1 under the uniform grid and M a
 * `size × K` matrix (row-major). An orthogonal M (a rotation) keeps the information and spreads each
 * factor over several codes.
 */
export function linearRepresentation(space: FactorSpace, matrix: Float64Array, size: number, name = 'linear mix'): Representation {
  const K = space.sizes.length;
  if (matrix.length !== size * K)
    throw new RangeError(`linearRepresentation: expected a ${size} x ${K} matrix, got ${matrix.length} values`);
  // Uniform over 0..m−1: mean (m−1)/2, variance (m²−1)/12.
  const mean = space.sizes.map((m) => (m - 1) / 2);
  const std = space.sizes.map((m) => Math.sqrt((m * m - 1) / 12) || 1);
  return {
    name,
    size,
    encode: (factors, n) => {
      const out = new Float32Array(n * size);
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < size; r++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += matrix[r * K + k] * ((factors[i * K + k] - mean[k]) / std[k]);
          out[i * size + r] = s;
        }
      }
      return Promise.resolve(out);
    },
  };
}

/** A random `d × d` orthogonal matrix (Gram–Schmidt on a Gaussian matrix; a uniform draw from O(d)). */
export function randomRotation(d: number, rng: Random): Float64Array {
  const q = Float64Array.from({ length: d * d }, () => rng.normal());
  orthonormalizeColumns(q, d, d);
  return q;
}

/** Codes independent of the factors: standard normal, `size` of them, from a seeded stream. */
export function noiseRepresentation(size: number, seed = 0): Representation {
  const rng = new Random(seed);
  return { name: 'noise', size, encode: (_factors, n) => Promise.resolve(rng.fillNormal(new Float32Array(n * size))) };
}
