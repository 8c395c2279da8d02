/**
 * The NLL estimator on a model with a known answer: z ~ N(0, 1), x | z ~ N(a z, s²) (D = d = 1), and
 * q(z|x) the exact posterior N(a x / (a² + s²), s² / (a² + s²)). Every importance weight then equals
 * p(x) = N(x; 0, a² + s²), so log p̂(x) = log p(x) for any K and any chunking.
 */
import { describe, expect, it } from 'vitest';
import { add, constant, expand, mul, param, reshape, sum } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian, standardNormalLogDensity } from '../dist/normal.js';
import { makeDataset } from '../data/dataset.js';
import { ParameterStore } from '../nn/store.js';
import type { LatentVariableModel, ModelTerms, NoiseSpec } from '../models/types.js';
import { Evaluator } from './evaluate.js';

const A = 1.5;
const S2 = 0.25;

/** A test double of the contract (not a vaelab model): linear-Gaussian with its exact posterior. */
function linearGaussian(): LatentVariableModel {
  const store = new ParameterStore(0);
  const a = store.create('a', [], () => Float32Array.of(A)); // a parameter, so the graph has one
  const c = (v: number) => constant(v);
  const post = (x: Tensor): DiagonalGaussian => {
    const mu = mul(x, mul(param(a), 1 / (A * A + S2)));
    return new DiagonalGaussian(mu, expand(c(Math.log(S2 / (A * A + S2))), mu.shape));
  };
  return {
    store, dataSize: 1, latentSize: 1, deterministic: false,
    noise: (b: number, k: number): NoiseSpec[] => [{ name: 'eps', shape: [k, b, 1] }],
    terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
      const q = post(x); // [B, 1]
      const z = q.sample(noise.eps); // [K, B, 1]
      const lik = new DiagonalGaussian(mul(z, param(a)), expand(c(Math.log(S2)), z.shape));
      const xk = expand(reshape(x, [1, ...x.shape]), [k, ...x.shape]);
      return {
        logLikelihood: lik.logProb(xk),
        logPrior: sum(standardNormalLogDensity(z), -1),
        logPosterior: q.logProb(z),
        klPerLatent: q.klToStandardNormal(),
        posteriorMean: q.mu,
        posteriorLogVar: q.logVar,
      };
    },
    decodeMean: (z) => mul(z, param(a)),
    decodeStd: (z) => add(mul(z, 0), Math.sqrt(S2)),
    samplePrior: (noise) => noise.z,
    priorNoise: (n) => [{ name: 'z', shape: [n, 1] }],
  };
}

describe('Evaluator', () => {
  const xs = Float32Array.from([-2, -1, -0.5, 0, 0.3, 0.9, 1.4, 2.2, 3, -3.1]);
  const data = makeDataset({ name: 'toy', shape: [1], n: xs.length, range: 'real', data: xs });
  const v = A * A + S2;
  const logp = Array.from(xs, (x) => -0.5 * (Math.log(2 * Math.PI * v) + (x * x) / v));
  const nll = -logp.reduce((s, l) => s + l, 0) / xs.length;

  it('recovers log p(x) exactly when q is the true posterior, across chunks and a padded last batch', async () => {
    const ev = new Evaluator(linearGaussian(), { batch: 4, nllBatch: 4, k: 7, kChunk: 3, preprocess: 'raw' });
    const r = await ev.evaluate(data);
    expect(r.n).toBe(10);
    expect(r.nllK).toBe(7);
    expect(r.nll).toBeCloseTo(nll, 4);
    // Active units: μ(x) = a x / (a² + s²), so A = Var(x) a² / (a² + s²)².
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const varX = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(r.activity[0]).toBeCloseTo((varX * A * A) / v ** 2, 5);
    expect(r.activeUnits).toBe(1);
    // Closed-form KL per latent: ½(μ² + σ² − 1 − log σ²) averaged over x.
    const s2q = S2 / v;
    const kl = Array.from(xs, (x) => 0.5 * ((A * x / v) ** 2 + s2q - 1 - Math.log(s2q))).reduce((s, k) => s + k, 0) / xs.length;
    expect(r.klPerLatent![0]).toBeCloseTo(kl, 5);
    expect(r.kl).toBeCloseTo(kl, 5);
  });

  it('evaluates only the first n examples when asked', async () => {
    const r = await new Evaluator(linearGaussian(), { batch: 3, k: 5, preprocess: 'raw', n: 4 }).evaluate(data);
    expect(r.n).toBe(4);
    expect(r.nll).toBeCloseTo(-logp.slice(0, 4).reduce((s, l) => s + l, 0) / 4, 4);
  });
});
