/**
 * What every disentanglement metric works on: a grid of discrete ground-truth factors (dSprites:
 * shape 3 × scale 6 × orientation 40 × posX 32 × posY 32), a way to draw factor rows from it, and a
 * representation that maps factor rows to codes (a model's posterior means μ(x) of the images with
 * those factors, or a baseline). The same split as disentanglement_lib's GroundTruthData and
 * representation_function, so that every metric reads the same as in the papers.
 */
import type { Random } from '../../engine/random.js';

/** A grid of independent discrete factors, each uniform over `0..sizes[k] − 1`. */
export interface FactorSpace {
  /** Factor names, in column order. */
  readonly names: readonly string[];
  /** Number of values of each factor. */
  readonly sizes: readonly number[];
}

/**
 * A representation r: factor rows → codes. `encode(factors, n)` reads `n` rows of K factor indices
 * (row-major `[n, K]`) and returns `[n, size]` codes, row-major.
 */
export interface Representation {
  readonly name: string;
  /** Code size (latent size d for a model). */
  readonly size: number;
  encode(factors: Int32Array, n: number): Promise<Float32Array>;
}

/** `n` factor rows drawn uniformly and independently, row-major `[n, K]`. */
export function sampleFactors(space: FactorSpace, n: number, rng: Random): Int32Array {
  const K = space.sizes.length;
  const out = new Int32Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = rng.int(space.sizes[k]);
  return out;
}

/** Codes of `n` freshly drawn factor rows: `{ factors [n, K], codes [n, size] }`. */
export async function sampleCodes(
  space: FactorSpace,
  rep: Representation,
  n: number,
  rng: Random,
): Promise<{ factors: Int32Array; codes: Float32Array }> {
  const factors = sampleFactors(space, n, rng);
  return { factors, codes: await rep.encode(factors, n) };
}

/** Checks that a representation returned `n × size` codes (a bug otherwise). */
export function checkCodes(rep: Representation, codes: Float32Array, n: number): Float32Array {
  if (codes.length !== n * rep.size)
    throw new Error(`representation ${rep.name}: expected ${n} x ${rep.size} codes, got ${codes.length} values`);
  return codes;
}
