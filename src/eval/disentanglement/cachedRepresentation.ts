/**
 * A representation that encodes each point of the factor grid at most once. disentanglement_lib's
 * default sizes draw about 2.9 million factor rows (β-VAE score: 15,000 points × 128 images; FactorVAE:
 * 15,000 votes × 64; MIG, DCI, the global variances: 35,000) from dSprites' 737,280 grid points, so
 * most draws repeat an image already seen: with the codes of every grid point kept (grid × size
 * floats), the encoder runs on the ~0.72 million distinct ones, and every code is the one the
 * representation gives that row, so the scores are unchanged.
 */
import { checkCodes, type FactorSpace, type Representation } from './factors.js';

/** A representation with a code cache, and how many rows it was asked for and how many it encoded. */
export interface CachedRepresentation extends Representation {
  readonly stats: { requested: number; encoded: number };
}

/** Wraps `rep` with a code cache over the grid of `space`; null when grid × size exceeds `maxValues` (default 2^26 floats, 256 MB). */
export function cachedRepresentation(space: FactorSpace, rep: Representation, maxValues = 2 ** 26): CachedRepresentation | null {
  const K = space.sizes.length;
  const d = rep.size;
  const points = space.sizes.reduce((a, b) => a * b, 1);
  if (points * d > maxValues) return null;
  const codes = new Float32Array(points * d);
  const known = new Uint8Array(points);
  const stats = { requested: 0, encoded: 0 };
  return {
    name: rep.name,
    size: d,
    stats,
    encode: async (factors, n) => {
      const index = new Int32Array(n);
      const missing: number[] = [];
      for (let i = 0; i < n; i++) {
        let g = 0; // mixed-radix position of the row in the grid
        for (let k = 0; k < K; k++) g = g * space.sizes[k] + factors[i * K + k];
        index[i] = g;
        if (known[g] === 0) {
          known[g] = 2; // pending: encoded once even if it repeats in this call
          missing.push(i);
        }
      }
      if (missing.length > 0) {
        const rows = new Int32Array(missing.length * K);
        missing.forEach((i, m) => rows.set(factors.subarray(i * K, i * K + K), m * K));
        let fresh: Float32Array;
        try {
          fresh = checkCodes(rep, await rep.encode(rows, missing.length), missing.length);
        } catch (e) {
          for (const i of missing) known[index[i]] = 0;
          throw e;
        }
        missing.forEach((i, m) => {
          codes.set(fresh.subarray(m * d, m * d + d), index[i] * d);
          known[index[i]] = 1;
        });
      }
      stats.requested += n;
      stats.encoded += missing.length;
      const out = new Float32Array(n * d);
      for (let i = 0; i < n; i++) out.set(codes.subarray(index[i] * d, index[i] * d + d), i * d);
      return out;
    },
  };
}
