/**
 * The estimators of {@link Evaluator} on the linear-Gaussian double (eval/testing.ts), where log p(x)
 * and the ELBO are known in closed form.
 */
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../data/dataset.js';
import { Evaluator } from './evaluate.js';
import { fixInputs } from './fixedInputs.js';
import { exactElbo, exactLogP, linearGaussianModel, posteriorOf } from './testing.js';

const xs = Float32Array.from([-2, -1, -0.5, 0, 0.3, 0.9, 1.4, 2.2, 3, -3.1]);
const data = makeDataset({ name: 'toy', shape: [1], n: xs.length, range: 'real', data: xs });
const exact = { a: 1.5, s2: 0.25, c: 1, r: 1 };
// An inexact posterior: its mean shrunk and its variance inflated, so the weights vary.
const inexact = { a: 1.5, s2: 0.25, c: 0.8, r: 2 };
const mean = (v: readonly number[]) => v.reduce((s, t) => s + t, 0) / v.length;
const nllOf = (g: typeof exact, x: ArrayLike<number>) => -mean(Array.from(x, (v) => exactLogP(g, v)));

describe('Evaluator', () => {
  it('recovers log p(x) exactly when q is the true posterior; active units and KL per latent in closed form', async () => {
    const r = await new Evaluator(linearGaussianModel(exact), { batch: 4, nllBatch: 4, k: 7, kChunk: 3, preprocess: 'raw' }).evaluate(data);
    expect(r.n).toBe(10);
    expect(r.nllK).toBe(7);
    expect(r.nll).toBeCloseTo(nllOf(exact, xs), 4);
    // Active units: μ(x) = a x / (a² + s²), so A = Var(x) a² / (a² + s²)².
    const mus = Array.from(xs, (x) => posteriorOf(exact, x).m);
    const varMu = mean(mus.map((m) => (m - mean(mus)) ** 2));
    expect(r.activity[0]).toBeCloseTo(varMu, 5);
    expect(r.activeUnits).toBe(1);
    const kl = mean(
      Array.from(xs, (x) => {
        const { m, v } = posteriorOf(exact, x);
        return 0.5 * (m * m + v - 1 - Math.log(v));
      }),
    );
    expect(r.klPerLatent![0]).toBeCloseTo(kl, 5);
    expect(r.kl).toBeCloseTo(kl, 5);
  });

  it('combines K chunks exactly as one run of K samples (inexact q: the weights differ)', async () => {
    const model = linearGaussianModel(inexact);
    const opts = { nllBatch: 4, k: 12, preprocess: 'raw' as const, seed: 3, diagnostics: false };
    // The noise of chunks [3, 3, 3, 3] x 4 rows is the same stream as of one [12] x 4 chunk.
    const chunked = await new Evaluator(model, { ...opts, kChunk: 3 }).evaluate(data);
    const whole = await new Evaluator(model, { ...opts, kChunk: 12 }).evaluate(data);
    expect(chunked.nll).toBeCloseTo(whole.nll!, 5);
    // ... and the inexact posterior really makes it an estimate: log p̂ ≠ log p.
    expect(Math.abs(whole.nll! - nllOf(inexact, xs))).toBeGreaterThan(1e-3);
    // A remainder chunk (12 = 5 + 5 + 2) changes the draws, not the estimand: same value within the error.
    const remainder = await new Evaluator(model, { ...opts, kChunk: 5 }).evaluate(data);
    expect(Math.abs(remainder.nll! - whole.nll!)).toBeLessThan(4 * Math.hypot(remainder.nllSe!, whole.nllSe!));
  });

  it('the IWAE estimate converges to log p(x) as K grows, and its standard error matches the spread over seeds', async () => {
    const model = linearGaussianModel(inexact);
    const many = makeDataset({
      name: 'toy-x40',
      shape: [1],
      n: 400,
      range: 'real',
      data: Float32Array.from({ length: 400 }, (_, i) => xs[i % 10]),
    });
    const truth = nllOf(inexact, many.data);
    const gap = async (k: number) =>
      (await new Evaluator(model, { k, nllBatch: 100, preprocess: 'raw', diagnostics: false, seed: 1 }).evaluate(many)).nll! - truth;
    const [g1, g10, g1000] = [await gap(1), await gap(10), await gap(1000)];
    // L_1 ≤ L_10 ≤ L_1000 ≤ log p(x) (seed 002), so the NLL gaps shrink towards 0 from above.
    expect(g1).toBeGreaterThan(g10);
    expect(g10).toBeGreaterThan(g1000);
    expect(g1000).toBeGreaterThan(-0.002);
    expect(g1000).toBeLessThan(0.01);
    // K = 1 on 400 copies of one x (no x-to-x variation): the reported standard error of the mean
    // must match the spread of the estimate over 12 seeds (ratio within [0.5, 1.6]: ~3σ for 11 d.o.f.).
    const same = makeDataset({ name: 'one-x', shape: [1], n: 400, range: 'real', data: new Float32Array(400).fill(1.4) });
    const runs = [];
    for (let s = 0; s < 12; s++)
      runs.push(await new Evaluator(model, { k: 1, nllBatch: 100, preprocess: 'raw', diagnostics: false, seed: 100 + s }).evaluate(same));
    const values = runs.map((r) => r.nll!);
    const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean(values)) ** 2, 0) / (values.length - 1));
    const se = mean(runs.map((r) => r.nllSe!));
    expect(spread / se).toBeGreaterThan(0.5);
    expect(spread / se).toBeLessThan(1.6);
    // L_1 (the Monte Carlo ELBO) matches the closed-form ELBO within 4 standard errors of the 12-seed mean.
    expect(Math.abs(-mean(values) - exactElbo(inexact, 1.4))).toBeLessThan((4 * se) / Math.sqrt(12));
  });

  it('computes the ELBO, the NLL and the diagnostics on ONE seeded binarization', async () => {
    const unit = makeDataset({
      name: 'unit',
      shape: [1],
      n: 200,
      range: 'unit',
      data: Float32Array.from({ length: 200 }, (_, i) => (i % 10) / 10),
    });
    const r = await new Evaluator(linearGaussianModel(exact), { k: 3, preprocess: 'dynamic-binarize', seed: 11 }).evaluate(unit);
    const drawn = fixInputs(unit, 200, 'dynamic-binarize', 11).data.data;
    expect(new Set(drawn)).toEqual(new Set([0, 1]));
    // The exact posterior makes log p̂(x) = log p(x) for any K: the NLL is that of the documented draw ...
    expect(r.nll).toBeCloseTo(nllOf(exact, drawn), 4);
    // ... and so is Var_x[μ(x)] of the diagnostics pass.
    const mus = Array.from(drawn, (x) => posteriorOf(exact, x).m);
    expect(r.varianceLaw!.varMu[0]).toBeCloseTo(mean(mus.map((m) => (m - mean(mus)) ** 2)), 5);
    expect(r.activity[0]).toBeCloseTo(r.varianceLaw!.varMu[0], 6);
  });

  it('evaluates only the first n examples when asked', async () => {
    const r = await new Evaluator(linearGaussianModel(exact), { batch: 3, k: 5, preprocess: 'raw', n: 4 }).evaluate(data);
    expect(r.n).toBe(4);
    expect(r.nll).toBeCloseTo(nllOf(exact, xs.subarray(0, 4)), 4);
  });
});
