import { describe, expect, it } from 'vitest';
import { constant, input } from '../engine/ops.js';
import { grad as gradOf } from '../engine/grad.js';
import { interpret } from '../engine/reference.js';
import {
  continuousBernoulliLogDensity,
  continuousBernoulliLogNormalizer,
  continuousBernoulliMean,
  continuousBernoulliSample,
} from './continuousBernoulli.js';

/** Composite Simpson rule on [0, 1]. */
function simpson(f: (x: number) => number, n = 2000): number {
  const h = 1 / n;
  let s = f(0) + f(1);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return (s * h) / 3;
}

const logit = (l: number): number => Math.log(l / (1 - l));
const LAMBDAS = [1e-4, 0.01, 0.2, 0.45, 0.4999, 0.5 - 3e-5, 0.5, 0.5 + 1e-6, 0.5 + 7e-5, 0.5001, 0.55, 0.8, 0.99, 1 - 1e-4];

describe('continuous Bernoulli', () => {
  it('normaliser C(λ) matches 1 / ∫ λ^x (1−λ)^(1−x) dx, including near ½ and near 0 and 1', () => {
    const logits = LAMBDAS.map(logit);
    const [logC] = interpret([continuousBernoulliLogNormalizer(constant(logits))], {});
    LAMBDAS.forEach((l, i) => {
      const z = simpson((x) => Math.pow(l, x) * Math.pow(1 - l, 1 - x));
      expect(logC[i]).toBeCloseTo(-Math.log(z), 7);
    });
  });

  it('log-density integrates to 1 over [0, 1] and its mean matches the numerical mean', () => {
    const xs = Array.from({ length: 2001 }, (_, i) => i / 2000);
    for (const l of LAMBDAS) {
      const x = input('x', [xs.length]);
      const lg = constant(logit(l), []);
      const [logp, mean] = interpret([continuousBernoulliLogDensity(x, lg), continuousBernoulliMean(lg)], { x: xs });
      const p = (t: number): number => Math.exp(logp[Math.round(t * 2000)]);
      expect(simpson(p)).toBeCloseTo(1, 7);
      expect(mean[0]).toBeCloseTo(
        simpson((t) => t * p(t)),
        7,
      );
    }
  });

  it('has finite gradients at ℓ = 0 and at the series/closed-form boundary', () => {
    const l = input('l', [4]);
    const [g] = gradOf(continuousBernoulliLogNormalizer(l), [l]);
    const [gv] = interpret([g], { l: [0, 0.1, -0.1, 0.0999] });
    for (const v of gv) expect(Number.isFinite(v)).toBe(true);
    // d log C/dℓ = 1/ℓ − 1/sinh(ℓ) is continuous: ≈ ℓ/6 near 0.
    expect(gv[1]).toBeCloseTo(1 / 0.1 - 1 / Math.sinh(0.1), 6);
    expect(gv[3]).toBeCloseTo(gv[1], 3);
  });

  it('inverse-CDF samples: F(F⁻¹(u)) = u on a grid, and the sample mean matches E[x]', () => {
    // CDF of CB(λ): F(x) = (λ^x (1−λ)^(1−x) + λ − 1) / (2λ − 1) (Loaiza-Ganem & Cunningham 2019), x at λ = ½.
    const cdf = (l: number, x: number): number => (l === 0.5 ? x : (Math.pow(l, x) * Math.pow(1 - l, 1 - x) + l - 1) / (2 * l - 1));
    const us = Array.from({ length: 21 }, (_, i) => (i + 0.5) / 21);
    for (const l of LAMBDAS) {
      const logits = constant(us.map(() => logit(l)));
      const [x] = interpret([continuousBernoulliSample(logits, constant(us))], {});
      us.forEach((u, i) => {
        expect(x[i]).toBeGreaterThanOrEqual(0);
        expect(x[i]).toBeLessThanOrEqual(1);
        expect(cdf(l, x[i]), `λ = ${l}, u = ${u}`).toBeCloseTo(u, 5);
      });
    }
    // Stratified u: the sample mean is a quadrature of ∫ F⁻¹(u) du = E[x].
    const n = 4000;
    const u = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    for (const l of [0.05, 0.3, 0.5, 0.9]) {
      const [x, m] = interpret(
        [continuousBernoulliSample(constant(u.map(() => logit(l))), constant(u)), continuousBernoulliMean(constant([logit(l)]))],
        {},
      );
      expect(x.reduce((a, v) => a + v, 0) / n).toBeCloseTo(m[0], 4);
    }
  });
});
