import { describe, expect, it } from 'vitest';
import { constant, input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import { mixtureLogProb } from './mixture.js';
import { DiagonalGaussian, standardNormalLogDensity } from './normal.js';

const N = 20000;

/** Mean and standard error of the mean. */
function stats(a: Float64Array): { mean: number; se: number } {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1);
  return { mean: m, se: Math.sqrt(v / a.length) };
}

describe('DiagonalGaussian KL', () => {
  const mu = [0.7, -1.2, 0.1];
  const logVar = [-0.5, 0.8, -2];
  const q = new DiagonalGaussian(constant(mu, [1, 3]), constant(logVar, [1, 3]));
  const eps = input('eps', [N, 3]);
  const z = q.sample(eps);
  const rng = new Random(7);
  const feeds = { eps: rng.fillNormal(new Float64Array(N * 3)) };

  it('klToStandardNormal matches Monte Carlo E_q[log q − log p] within 4 standard errors', () => {
    const [closed, mc] = interpret([q.klToStandardNormal(), q.logProb(z)], feeds);
    const [logp] = interpret([standardNormalLogDensity(z)], feeds);
    const diff = Float64Array.from({ length: N }, (_, i) => mc[i] - (logp[3 * i] + logp[3 * i + 1] + logp[3 * i + 2]));
    const s = stats(diff);
    const total = closed.reduce((a, b) => a + b, 0);
    expect(Math.abs(s.mean - total)).toBeLessThan(4 * s.se);
  });

  it('kl between two Gaussians matches Monte Carlo within 4 standard errors', () => {
    const p = new DiagonalGaussian(constant([0.3, 0.2, -0.4], [1, 3]), constant([0.2, -0.3, 0.5], [1, 3]));
    const [closed, lq, lp] = interpret([q.kl(p), q.logProb(z), p.logProb(z)], feeds);
    const s = stats(Float64Array.from(lq, (v, i) => v - lp[i]));
    expect(Math.abs(s.mean - closed.reduce((a, b) => a + b, 0))).toBeLessThan(4 * s.se);
  });
});

describe('mixtureLogProb', () => {
  it('with one component equals the Gaussian log-density', () => {
    const z = input('z', [5, 2]);
    const mu = constant([0.5, -1], [1, 2]);
    const lv = constant([0.3, -0.7], [1, 2]);
    const [mix, gauss] = interpret([mixtureLogProb(z, mu, lv, constant([2.3], [1])), new DiagonalGaussian(mu, lv).logProb(z)], {
      z: [0, 0, 1, 2, -1, 0.5, 3, -3, 0.2, 0.1],
    });
    mix.forEach((v, i) => expect(v).toBeCloseTo(gauss[i], 10));
  });

  it('weights components by softmax(logits), computed as logsumexp', () => {
    const z = input('z', [1, 1]);
    const mu = constant([-1, 2], [2, 1]);
    const lv = constant([0, Math.log(4)], [2, 1]);
    const [v] = interpret([mixtureLogProb(z, mu, lv, constant([0, Math.log(3)], [2]))], { z: [0.5] });
    const n = (x: number, m: number, s: number): number => Math.exp(-((x - m) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    expect(v[0]).toBeCloseTo(Math.log(0.25 * n(0.5, -1, 1) + 0.75 * n(0.5, 2, 2)), 10);
  });
});
