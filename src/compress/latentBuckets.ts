/**
 * Discretised latents for bits-back coding (Townsend et al. 2019, §2.5.1): each latent of a standard
 * normal prior is cut into N = 2^bits buckets of equal prior mass, edges b_j = Φ⁻¹(j/N), so the prior
 * on buckets is uniform (exactly `bits` bits per latent) and a diagonal Gaussian posterior N(μ, σ²)
 * puts mass Φ((b_{j+1} − μ)/σ) − Φ((b_j − μ)/σ) on bucket j. A bucket stands for its centre
 * Φ⁻¹((j + ½)/N) when the decoder reads z.
 */
import { quantiseCdf, uniformCdf, type QuantisedCdf } from './codecs.js';

/**
 * The standard normal CDF Φ(t), Hart's algorithm 5666 as given by West (2005, "Better approximations
 * to cumulative normal functions"), accurate to about 1e-15. Written here because bits-back needs the
 * same float64 function on both sides of the coder; JavaScript's Math has no erf.
 */
export function normalCdf(t: number): number {
  const a = Math.abs(t);
  let tail: number;
  if (a > 37) tail = 0;
  else if (a < 7.07106781186547) tail = (Math.exp((-a * a) / 2) * horner(HART_NUM, a)) / horner(HART_DEN, a);
  else {
    let c = a + 0.65;
    for (const k of [4, 3, 2, 1]) c = a + k / c;
    tail = Math.exp((-a * a) / 2) / c / 2.506628274631;
  }
  return t > 0 ? 1 - tail : tail;
}

/** Hart 5666's rational function, coefficients highest degree first. */
const HART_NUM = [
  3.52624965998911e-2, 0.700383064443688, 6.37396220353165, 33.912866078383, 112.079291497871, 221.213596169931, 220.206867912376,
];
const HART_DEN = [
  8.83883476483184e-2, 1.75566716318264, 16.064177579207, 86.7807322029461, 296.564248779674, 637.333633378831, 793.826512519948,
  440.413735824752,
];

/** Σ c_i a^(n−i) by Horner's rule. */
const horner = (c: readonly number[], a: number): number => c.reduce((acc, ci) => acc * a + ci, 0);

/** Φ⁻¹(p) by bisection on {@link normalCdf} (only used to build tables once, so simplicity over speed). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The equal-mass buckets of N(0, 1) at a given resolution, and codecs over them. */
export class LatentBuckets {
  /** Number of buckets N = 2^bits. */
  readonly n: number;
  /** Edges b_0 = −∞ < b_1 < ... < b_N = +∞. */
  readonly edges: Float64Array;
  /** Centres Φ⁻¹((j + ½)/N), the z value that stands for bucket j. */
  readonly centres: Float64Array;
  /** The prior on buckets: uniform. */
  readonly prior: QuantisedCdf;

  constructor(
    readonly bits: number,
    readonly posteriorPrecision: number,
  ) {
    this.n = 2 ** bits;
    this.edges = Float64Array.from({ length: this.n + 1 }, (_, j) => normalQuantile(j / this.n));
    this.centres = Float64Array.from({ length: this.n }, (_, j) => normalQuantile((j + 0.5) / this.n));
    this.prior = uniformCdf(bits);
  }

  /** q(z_i|x) = N(μ, σ²) on the buckets, quantised at the posterior precision. */
  posterior(mu: number, sigma: number): QuantisedCdf {
    const edges = this.edges;
    return quantiseCdf(this.n, this.posteriorPrecision, (j) => normalCdf((edges[j] - mu) / sigma));
  }
}
