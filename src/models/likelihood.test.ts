import { describe, expect, it } from 'vitest';
import { constant, input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { ParameterStore } from '../nn/store.js';
import type { Tensor } from '../engine/tensor.js';
import { logGammaConstant } from '../distributions/betaBinomial.js';
import {
  bernoulliLikelihood,
  betaBinomialLikelihood,
  continuousBernoulliLikelihood,
  discretizedLogisticLikelihood,
  fixedGaussianLikelihood,
  gaussianLikelihood,
  scalarGaussianLikelihood,
  type Likelihood,
} from './likelihood.js';

/** ∫ exp(log p(x)) dx over a grid [lo, hi] with the trapezoid rule, for a 1-pixel likelihood. */
function integrate(l: Likelihood, out: number[], lo: number, hi: number, n = 4001): number {
  const xs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const x = input('x', [n, 1]);
  const [lp] = interpret([l.logProb(x, constant(out, [1, out.length]))], { x: xs });
  const h = (hi - lo) / (n - 1);
  let s = 0;
  for (let i = 0; i < n; i++) s += (i === 0 || i === n - 1 ? 0.5 : 1) * Math.exp(lp[i]);
  return s * h;
}

describe('decoder likelihoods are normalised', () => {
  it('Bernoulli sums to 1 over {0, 1}', () => {
    for (const logit of [-30, -2, 0, 0.7, 25]) {
      const x = input('x', [2, 1]);
      const [lp] = interpret([bernoulliLikelihood().logProb(x, constant([logit], [1, 1]))], { x: [0, 1] });
      expect(Math.exp(lp[0]) + Math.exp(lp[1])).toBeCloseTo(1, 12);
    }
  });

  it('Gaussian with learned per-pixel variance integrates to 1', () => {
    expect(integrate(gaussianLikelihood(), [0.3, Math.log(0.25)], -5, 5)).toBeCloseTo(1, 6);
    expect(integrate(gaussianLikelihood(), [-1, Math.log(2)], -15, 13)).toBeCloseTo(1, 6);
  });

  it('Gaussian with fixed σ integrates to 1 and equals −MSE/(2σ²) − D log(σ√2π)', () => {
    const l = fixedGaussianLikelihood(0.3);
    expect(integrate(l, [0.2], -3, 3)).toBeCloseTo(1, 6);
    const x = input('x', [1, 3]);
    const [lp] = interpret([l.logProb(x, constant([0.1, 0.5, 0.9], [1, 3]))], { x: [0, 1, 0.5] });
    const sse = 0.01 + 0.25 + 0.16;
    expect(lp[0]).toBeCloseTo(-sse / (2 * 0.09) - 3 * Math.log(0.3 * Math.sqrt(2 * Math.PI)), 10);
  });

  it('Gaussian with a learned scalar variance integrates to 1 and uses its parameter', () => {
    const store = new ParameterStore(0);
    const l = scalarGaussianLikelihood(store, 'decoder');
    store.get('decoder.logVar').value[0] = Math.log(0.5);
    expect(integrate(l, [0.1], -6, 6)).toBeCloseTo(1, 6);
    const [std] = interpret([l.std(constant([0, 0], [1, 2])) ?? constant(0)], {});
    expect(std[0]).toBeCloseTo(Math.sqrt(0.5), 6);
  });

  it('continuous Bernoulli integrates to 1 on [0, 1]', () => {
    for (const logit of [-9, -0.3, 0, 1e-4, 4]) {
      expect(integrate(continuousBernoulliLikelihood(), [logit], 0, 1)).toBeCloseTo(1, 6);
    }
  });

  it('the means are E[x|z]: σ(ℓ) for Bernoulli, μ for Gaussians', () => {
    const out = constant([0.4, -1], [1, 2]);
    const [b, g] = interpret([bernoulliLikelihood().mean(out), gaussianLikelihood().mean(out)], {});
    expect(b[0]).toBeCloseTo(1 / (1 + Math.exp(-0.4)), 12);
    expect(g[0]).toBeCloseTo(0.4, 12);
    expect(g.length).toBe(1);
  });

  it('discretised logistic sums to 1 over the 256 grey levels and equals (1 − ε)(σ(a) − σ(b)) + ε/256 per bin', () => {
    const sig = (t: number): number => 1 / (1 + Math.exp(-t));
    const x = input('x', [256, 1]);
    const levels = Array.from({ length: 256 }, (_, k) => k / 255);
    for (const [mu, logS] of [
      [0.3, -3],
      [0, -9],
      [1.2, 0.5],
      [0.5, 6],
      [0.99, -5.5],
    ]) {
      const [lp] = interpret([discretizedLogisticLikelihood().logProb(x, constant([mu, logS], [1, 2]))], { x: levels });
      expect(lp.reduce((a, v) => a + Math.exp(v), 0)).toBeCloseTo(1, 9);
      const s = Math.exp(Math.max(logS, -7));
      for (const k of [1, 77, 128, 254]) {
        const direct = (1 - 1e-3) * (sig((k / 255 + 1 / 510 - mu) / s) - sig((k / 255 - 1 / 510 - mu) / s)) + 1e-3 / 256;
        expect(lp[k]).toBeCloseTo(Math.log(direct), 6);
      }
    }
  });

  it('beta-binomial sums to 1 over the 256 grey levels, with log Γ accurate to 1e-8', () => {
    expect(logGammaConstant(0.5)).toBeCloseTo(0.5723649429247001, 8);
    expect(logGammaConstant(10)).toBeCloseTo(12.801827480081469, 8);
    expect(logGammaConstant(1e-3)).toBeCloseTo(6.907178885383854, 8);
    const x = input('x', [256, 1]);
    const levels = Array.from({ length: 256 }, (_, k) => k / 255);
    for (const [a, b] of [
      [-3, -3],
      [0, 2],
      [4, -1],
      [8, 8],
    ]) {
      const [lp] = interpret([betaBinomialLikelihood().logProb(x, constant([a, b], [1, 2]))], { x: levels });
      expect(lp.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 8);
    }
  });

  it('the grey-level likelihoods sample by inverting their CDF: draws on a grid of u follow the mass', () => {
    const M = 4096;
    const u = input('u', [M, 1]);
    const x = input('x', [256, 1]);
    const grid = Array.from({ length: M }, (_, i) => (i + 0.5) / M);
    const levels = Array.from({ length: 256 }, (_, k) => k / 255);
    const cases: [Likelihood, number[]][] = [
      [discretizedLogisticLikelihood(), [0.4, -3]],
      [betaBinomialLikelihood(), [-2, -1.5]],
    ];
    for (const [l, params] of cases) {
      const sampler = l as Likelihood & { sample(out: Tensor, u: Tensor): Tensor };
      const [draws] = interpret([sampler.sample(constant(Array.from({ length: M }, () => params).flat(), [M, 2]), u)], { u: grid });
      const [lp] = interpret([l.logProb(x, constant(params, [1, 2]))], { x: levels });
      const counts = new Array(256).fill(0);
      for (const d of draws) counts[Math.round(d * 255)]++;
      for (let k = 0; k < 256; k++) expect(Math.abs(counts[k] / M - Math.exp(lp[k]))).toBeLessThan(1.5 / M);
    }
  });
});

describe('floor on the learned decoder log-variance (seed 004, §5.3)', () => {
  it('bounds log p(x|z) at x = μ_x: log σ² below the floor acts as the floor, above it is unchanged', () => {
    const x = input('x', [1, 1]);
    const floor = -2 * Math.log(256);
    const at = (l: Likelihood, out: number[]): number => interpret([l.logProb(x, constant(out, [1, out.length]))], { x: [0.3] })[0][0];
    // N(0.3; 0.3, σ²) = 1/√(2πσ²): with log σ² = −40 the density is e^20 / √(2π) unfloored.
    expect(at(gaussianLikelihood(), [0.3, -40])).toBeCloseTo(-0.5 * (Math.log(2 * Math.PI) - 40), 8);
    expect(at(gaussianLikelihood(floor), [0.3, -40])).toBeCloseTo(-0.5 * (Math.log(2 * Math.PI) + floor), 8);
    expect(at(gaussianLikelihood(floor), [0.3, -1])).toBeCloseTo(at(gaussianLikelihood(), [0.3, -1]), 12);
    const store = new ParameterStore(1);
    const scalar = scalarGaussianLikelihood(store, 'decoder', floor);
    store.get('decoder.logVar').value.set([-40]);
    expect(at(scalar, [0.3])).toBeCloseTo(-0.5 * (Math.log(2 * Math.PI) + floor), 5);
  });
});
