import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { bitsBackDecode, bitsBackEncode, type BitsBackModel } from './bitsBack.js';
import { bernoulliCdf, quantiseCdf, type QuantisedCdf } from './codecs.js';

/**
 * A tiny model with exact probabilities: z ∈ {0..3} with prior π, x ∈ {0,1}^6 with
 * p(x_k = 1 | z) = θ[z][k]. Everything (p(x), the exact posterior, the ELBO of any q) is computable by
 * enumeration, so the coder's rates can be checked against closed forms.
 */
const PI = [0.1, 0.2, 0.3, 0.4];
const THETA = [
  [0.9, 0.9, 0.9, 0.1, 0.1, 0.1],
  [0.1, 0.1, 0.1, 0.9, 0.9, 0.9],
  [0.8, 0.2, 0.8, 0.2, 0.8, 0.2],
  [0.05, 0.3, 0.5, 0.7, 0.95, 0.5],
];
const D = 6;
const P = 16;

const likelihoodOf = (x: ArrayLike<number>, z: number): number => THETA[z].reduce((p, t, k) => p * (x[k] ? t : 1 - t), 1);
const marginal = (x: ArrayLike<number>): number => PI.reduce((s, pz, z) => s + pz * likelihoodOf(x, z), 0);
const exactPosterior = (x: ArrayLike<number>): number[] => PI.map((pz, z) => (pz * likelihoodOf(x, z)) / marginal(x));

/** Categorical probabilities quantised with the coder's own rule. */
const categorical = (p: readonly number[]): QuantisedCdf => quantiseCdf(p.length, P, (s) => p.slice(0, s).reduce((a, b) => a + b, 0));

function tinyModel(posterior: (x: Uint8Array) => number[]): BitsBackModel {
  return {
    latentSize: 1,
    dataSize: D,
    prior: () => [categorical(PI)],
    posterior: (x) => [categorical(posterior(x))],
    likelihood: (z) => THETA[z[0]].map((t) => bernoulliCdf(t, P)),
  };
}

function sampleData(n: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  const data = new Uint8Array(n * D);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    let z = 0;
    for (let acc = PI[0]; u > acc && z < 3; acc += PI[++z]);
    for (let k = 0; k < D; k++) data[i * D + k] = rng.uniform() < THETA[z][k] ? 1 : 0;
  }
  return data;
}

/** Bits of the message beyond the initial state (the stack plus the head's growth). */
const messageBits = (w: Uint16Array): number =>
  16 * (w.length - 4) + Math.log2(((w[0] * 2 ** 16 + w[1]) * 2 ** 16 + w[2]) * 2 ** 16 + w[3]) - 36;

describe('bits-back coding on a tiny model with exact probabilities', () => {
  const n = 4000;
  const data = sampleData(n, 7);
  const examples = Array.from({ length: n }, (_, i) => data.subarray(i * D, (i + 1) * D));

  it('with the exact posterior, the rate is −log2 p(x) (no bits lost) and the data round-trips', async () => {
    const model = tinyModel((x) => exactPosterior(x));
    const msg = await bitsBackEncode(model, data, n, { seed: 3 });
    const decoded = await bitsBackDecode(model, msg.words, n, { seed: 3 });
    expect(Buffer.from(decoded).equals(Buffer.from(data))).toBe(true);
    const nll = examples.reduce((s, x) => s - Math.log2(marginal(x)), 0);
    const bits = messageBits(msg.words) + 16 * msg.borrowedWords;
    // Quantising to 2^16 (≤ 0.1 %) and the start-up cost (the initial words, ≤ 64 bits) are the only losses.
    expect(bits - nll).toBeLessThan(64 + 0.001 * nll);
    expect(bits - nll).toBeGreaterThan(-0.001 * nll);
  });

  it('with a poor posterior, each example costs −log p(x|z) − log p(z) + log q(z|x) for the z it drew', async () => {
    const uniform = [0.25, 0.25, 0.25, 0.25];
    const base = tinyModel(() => uniform);
    const drawn: number[] = [];
    const model: BitsBackModel = { ...base, likelihood: (z) => (drawn.push(z[0]), base.likelihood(z)) };
    const msg = await bitsBackEncode(model, data, n);
    expect(Buffer.from(await bitsBackDecode(base, msg.words, n)).equals(Buffer.from(data))).toBe(true);
    // The code length of each step, from the quantised frequencies the coder used.
    const freq = (d: QuantisedCdf, s: number): number => (d.cdf(s + 1) - d.cdf(s)) / 2 ** d.precision;
    const cost = examples.reduce((t, x, i) => {
      const z = drawn[i];
      const logLik = (base.likelihood(Uint32Array.of(z)) as QuantisedCdf[]).reduce((a, d, k) => a + Math.log2(freq(d, x[k])), 0);
      return t - logLik - Math.log2(freq(categorical(PI), z)) + Math.log2(freq(categorical(uniform), z));
    }, 0);
    const nll = examples.reduce((s, x) => s - Math.log2(marginal(x)), 0);
    const bits = messageBits(msg.words) + 16 * msg.borrowedWords;
    expect(cost - nll).toBeGreaterThan(0.05 * nll);
    // The accounting is exact up to the head's rounding and the initial words.
    expect(Math.abs(bits - cost)).toBeLessThan(70);
  });

  it('decoding with different probabilities is detected, not returned as data', async () => {
    const model = tinyModel((x) => exactPosterior(x));
    const msg = await bitsBackEncode(model, data.subarray(0, 50 * D), 50);
    const other = tinyModel(() => [0.25, 0.25, 0.25, 0.25]);
    await expect(bitsBackDecode(other, msg.words, 50)).rejects.toThrow(/initial state/);
  });
});
