/**
 * Symbol codecs over an {@link Ans} message: a quantised distribution given by its cumulative
 * frequencies C(0) = 0 < C(1) < ... < C(n) = 2^P, so that symbol s has start C(s) and frequency
 * C(s+1) − C(s) ≥ 1. Only C is needed, evaluated lazily: pushing costs two evaluations, popping a
 * binary search of ⌈log2 n⌉.
 *
 * Quantisation is a deterministic function of float64 numbers, so the same inputs give the same
 * frequencies on the compressing and the decompressing side; every symbol keeps at least one count
 * (C(s) = ⌊F(s)·(2^P − n)⌉ + s for a continuous CDF F), so no symbol is ever uncodable.
 */
import type { Ans } from './rans.js';

/** A quantised distribution over the symbols 0..n−1. */
export interface QuantisedCdf {
  /** Number of symbols n. */
  readonly n: number;
  /** Precision P: the frequencies sum to 2^P. */
  readonly precision: number;
  /** Cumulative frequency C(s) of the symbols below s, s ∈ [0, n]; C(0) = 0, C(n) = 2^P, strictly increasing. */
  cdf(s: number): number;
}

/** Encodes symbol `s` under `d`. */
export function pushSymbol(ans: Ans, d: QuantisedCdf, s: number): void {
  const start = d.cdf(s);
  ans.push(start, d.cdf(s + 1) - start, d.precision);
}

/** Decodes the next symbol under `d` (the last pushed, or a sample of `d` drawn from the message's bits). */
export function popSymbol(ans: Ans, d: QuantisedCdf): number {
  const slot = ans.peek(d.precision);
  // Largest s with C(s) ≤ slot.
  let lo = 0;
  let hi = d.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (d.cdf(mid) <= slot) lo = mid;
    else hi = mid - 1;
  }
  const start = d.cdf(lo);
  ans.pop(start, d.cdf(lo + 1) - start, d.precision);
  return lo;
}

/**
 * The quantised form of a continuous CDF F over n symbols: C(s) = ⌊F(s)·(2^P − n)⌉ + s, so every
 * symbol gets its rounded share of 2^P − n counts plus one. `F(s)` is the probability of the symbols
 * below s (F(0) = 0 and F(n) = 1 are not evaluated).
 */
export function quantiseCdf(n: number, precision: number, F: (s: number) => number): QuantisedCdf {
  const total = 2 ** precision;
  if (n >= total) throw new RangeError(`quantiseCdf: ${n} symbols need a precision above ${precision}`);
  const mass = total - n;
  return {
    n,
    precision,
    cdf: (s) => (s <= 0 ? 0 : s >= n ? total : Math.round(F(s) * mass) + s),
  };
}

/** The uniform distribution over 2^bits symbols (C(s) = s). */
export function uniformCdf(bits: number): QuantisedCdf {
  return { n: 2 ** bits, precision: bits, cdf: (s) => s };
}

/** Bernoulli(p) over {0, 1}: C(1) = ⌊(1 − p)·2^P⌉ clamped to [1, 2^P − 1]. */
export function bernoulliCdf(p: number, precision: number): QuantisedCdf {
  const total = 2 ** precision;
  const c1 = Math.min(total - 1, Math.max(1, Math.round((1 - p) * total)));
  return { n: 2, precision, cdf: (s) => (s <= 0 ? 0 : s >= 2 ? total : c1) };
}

/** A categorical distribution given by counts (each ≥ 1, summing to 2^P). */
export function countsCdf(counts: ArrayLike<number>, precision: number): QuantisedCdf {
  const c = new Float64Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] >= 1)) throw new RangeError(`countsCdf: symbol ${i} has count ${counts[i]} < 1`);
    c[i + 1] = c[i] + counts[i];
  }
  if (c[counts.length] !== 2 ** precision) throw new RangeError(`countsCdf: counts sum to ${c[counts.length]}, expected 2^${precision}`);
  return { n: counts.length, precision, cdf: (s) => c[Math.max(0, Math.min(counts.length, s))] };
}
