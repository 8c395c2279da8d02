import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import type { HierarchicalVAE } from './hvae.js';
import { createModel } from './registry.js';

const logN = (x: number, mu: number, lv: number): number => -0.5 * (Math.log(2 * Math.PI) + lv + (x - mu) ** 2 / Math.exp(lv));
const softplus = (l: number): number => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));

describe('hierarchical VAE', () => {
  it('log w = log p(x|z1) + log p(z1|z2) + log p(z2) − log q(z1|x) − log q(z2|z1), recomputed piece by piece', () => {
    const m = createModel(
      { kind: 'hvae', dataShape: [5], hidden: [6], hidden2: [4], latent1: 3, latent: 2, activation: 'tanh' },
      { seed: 5 },
    ) as HierarchicalVAE;
    const B = 2,
      K = 3,
      D = 5,
      d1 = 3,
      d2 = 2;
    const rng = new Random(3);
    const xv = Array.from({ length: B * D }, () => (rng.uniform() < 0.5 ? 0 : 1));
    const e1 = rng.fillNormal(new Float64Array(K * B * d1));
    const e2 = rng.fillNormal(new Float64Array(K * B * d2));
    const x = input('x', [B, D]);
    const t = m.terms(x, { eps1: input('eps1', [K, B, d1]), eps2: input('eps2', [K, B, d2]) }, K);
    const feeds = { x: xv, eps1: e1, eps2: e2 };
    const [ll, lpri, lpost] = interpret([t.logLikelihood, t.logPrior, t.logPosterior], feeds);

    // Independent computation: evaluate each network on its own, then the densities in plain TS.
    const q1 = m.q1(x);
    const [mu1, lv1] = interpret([q1.mu, q1.logVar], feeds);
    for (let k = 0; k < K; k++) {
      for (let b = 0; b < B; b++) {
        const z1 = Array.from({ length: d1 }, (_, j) => mu1[b * d1 + j] + Math.exp(lv1[b * d1 + j] / 2) * e1[(k * B + b) * d1 + j]);
        const z1in = input('z1', [1, d1]);
        const q2 = m.q2(z1in);
        const [mu2, lv2] = interpret([q2.mu, q2.logVar], { z1: z1 });
        const z2 = Array.from({ length: d2 }, (_, j) => mu2[j] + Math.exp(lv2[j] / 2) * e2[(k * B + b) * d2 + j]);
        const z2in = input('z2', [1, d2]);
        const p1 = m.p1(z2in);
        const [pm, plv] = interpret([p1.mu, p1.logVar], { z2: z2 });
        const [logits] = interpret([m.decoder(z1in)], { z1: z1 });
        let logPx = 0;
        for (let i = 0; i < D; i++) logPx += xv[b * D + i] * logits[i] - softplus(logits[i]);
        let logPz = 0,
          logQ = 0;
        for (let j = 0; j < d1; j++) logPz += logN(z1[j], pm[j], plv[j]);
        for (let j = 0; j < d2; j++) logPz += logN(z2[j], 0, 0);
        for (let j = 0; j < d1; j++) logQ += logN(z1[j], mu1[b * d1 + j], lv1[b * d1 + j]);
        for (let j = 0; j < d2; j++) logQ += logN(z2[j], mu2[j], lv2[j]);
        const i = k * B + b;
        expect(ll[i]).toBeCloseTo(logPx, 8);
        expect(lpri[i]).toBeCloseTo(logPz, 8);
        expect(lpost[i]).toBeCloseTo(logQ, 8);
      }
    }
  });

  it('VampPrior on z2: components q(z2|u_k) with z1 ~ q(z1|u_k) drawn per pseudo-input, not q(z2|μ1(u_k))', () => {
    const m = createModel(
      { kind: 'hvae', dataShape: [5], hidden: [6], hidden2: [4], latent1: 3, latent: 2, prior: 'vampprior', components: 3 },
      { seed: 8 },
    ) as HierarchicalVAE;
    expect(m.noise(2, 1).map((s) => s.name)).toEqual(['eps1', 'eps2', 'prior.z1eps']);
    const rng = new Random(4);
    const zEps = rng.fillNormal(new Float64Array(3 * 3));
    const z2v = [0.3, -0.7];
    const z2 = input('z2', [1, 2]);
    const [lp] = interpret([m.prior.logProb(z2, { 'prior.z1eps': input('prior.z1eps', [3, 3]) })], { z2: z2v, 'prior.z1eps': zEps });
    // By hand: u_k → q(z1|u_k) → z1_k = μ1 + σ1 ε_k → q(z2|z1_k); p(z2) = (1/3) Σ_k q(z2|z1_k).
    const u = m.store.all().find((p) => p.name === 'prior.pseudoInputs')!;
    const q1 = m.q1(input('u', [3, 5]));
    const [mu1, lv1] = interpret([q1.mu, q1.logVar], { u: u.value });
    const z1 = mu1.map((v, i) => v + Math.exp(lv1[i] / 2) * zEps[i]);
    const q2 = m.q2(input('z1', [3, 3]));
    const [mu2, lv2] = interpret([q2.mu, q2.logVar], { z1 });
    const comp = [0, 1, 2].map((k) => logN(z2v[0], mu2[2 * k], lv2[2 * k]) + logN(z2v[1], mu2[2 * k + 1], lv2[2 * k + 1]));
    const mx = Math.max(...comp);
    expect(lp[0]).toBeCloseTo(mx + Math.log(comp.reduce((a, c) => a + Math.exp(c - mx), 0) / 3), 8);
    // Differs from the old components q(z2|μ1(u_k)).
    const [mu2m, lv2m] = interpret([m.q2(input('z1', [3, 3])).mu, m.q2(input('z1', [3, 3])).logVar], { z1: mu1 });
    const old = [0, 1, 2].map((k) => logN(z2v[0], mu2m[2 * k], lv2m[2 * k]) + logN(z2v[1], mu2m[2 * k + 1], lv2m[2 * k + 1]));
    const om = Math.max(...old);
    expect(Math.abs(lp[0] - (om + Math.log(old.reduce((a, c) => a + Math.exp(c - om), 0) / 3)))).toBeGreaterThan(1e-4);
  });
});
