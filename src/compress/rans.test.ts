import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bernoulliCdf, countsCdf, popSymbol, pushSymbol, quantiseCdf, uniformCdf, type QuantisedCdf } from './codecs.js';
import { Ans, MAX_PRECISION } from './rans.js';

/** Random counts ≥ 1 summing to 2^P, from raw weights. */
function countsFrom(weights: number[], precision: number): number[] {
  const total = 2 ** precision;
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const counts = weights.map((w) => 1 + Math.floor((w / sum) * (total - weights.length)));
  counts[0] += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

const distribution = fc
  .record({
    precision: fc.integer({ min: 1, max: MAX_PRECISION }),
    weights: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
  })
  .filter(({ precision, weights }) => weights.length < 2 ** precision)
  .map(({ precision, weights }) => countsCdf(countsFrom(weights, precision), precision));

/** A sequence of (distribution, symbol) pairs, each symbol valid for its distribution. */
const sequence = fc.array(
  distribution.chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 0, max: d.n - 1 }))),
  { minLength: 0, maxLength: 300 },
);

describe('rANS coder', () => {
  it('any sequence of symbols under any quantised distributions round-trips (through serialisation)', () => {
    fc.assert(
      fc.property(sequence, (pairs: [QuantisedCdf, number][]) => {
        const enc = new Ans();
        for (const [d, s] of pairs) pushSymbol(enc, d, s);
        const dec = new Ans(enc.serialize());
        for (let i = pairs.length - 1; i >= 0; i--) expect(popSymbol(dec, pairs[i][0])).toBe(pairs[i][1]);
        expect(dec.isInitial()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('pops that draw from an empty message borrow seeded words and give them back on decoding', () => {
    fc.assert(
      fc.property(sequence, fc.integer({ min: 0, max: 2 ** 31 }), (pairs: [QuantisedCdf, number][], seed) => {
        // Bits-back's pattern: pop (sample) first, then push, with a reversed decoder.
        const enc = new Ans(undefined, seed);
        const sampled = pairs.map(([d]) => popSymbol(enc, d));
        for (const [d, s] of pairs) pushSymbol(enc, d, s);
        const dec = new Ans(enc.serialize(), seed);
        for (let i = pairs.length - 1; i >= 0; i--) expect(popSymbol(dec, pairs[i][0])).toBe(pairs[i][1]);
        for (let i = pairs.length - 1; i >= 0; i--) pushSymbol(dec, pairs[i][0], sampled[i]);
        expect(dec.isInitial(seed)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the message length is within a few words of the information content Σ −log2 p(s)', () => {
    const d = countsCdf([1, 7, 3000, 1088], 12);
    const enc = new Ans();
    let info = 0;
    let state = 12345;
    for (let i = 0; i < 20000; i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const u = (state / 2 ** 31) * 4096;
      const s = u < 1 ? 0 : u < 8 ? 1 : u < 3008 ? 2 : 3;
      info -= Math.log2((d.cdf(s + 1) - d.cdf(s)) / 4096);
      pushSymbol(enc, d, s);
    }
    expect(enc.content()).toBeGreaterThan(info - 1e-6);
    expect(enc.content()).toBeLessThan(info + 64);
  });

  it('quantised CDFs keep every symbol codable: uniform, Bernoulli at extremes, a continuous CDF', () => {
    expect(uniformCdf(8).cdf(256)).toBe(256);
    for (const p of [0, 1e-12, 0.5, 1 - 1e-12, 1]) {
      const b = bernoulliCdf(p, 16);
      expect(b.cdf(1) - b.cdf(0)).toBeGreaterThanOrEqual(1);
      expect(b.cdf(2) - b.cdf(1)).toBeGreaterThanOrEqual(1);
    }
    const q = quantiseCdf(256, 16, (s) => (s / 256) ** 8);
    for (let s = 0; s < 256; s++) expect(q.cdf(s + 1) - q.cdf(s)).toBeGreaterThanOrEqual(1);
    expect(q.cdf(256)).toBe(2 ** 16);
  });

  it('a corrupt head is refused', () => {
    expect(() => new Ans(new Uint16Array([0, 0, 0, 5]))).toThrow(/outside/);
    expect(() => new Ans(new Uint16Array([1, 2]))).toThrow(/4 head words/);
  });
});
