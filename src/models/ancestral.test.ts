import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { continuousBernoulliSample } from '../distributions/continuousBernoulli.js';
import { priorSampleGraph } from './generate.js';
import type { HierarchicalVAE } from './hvae.js';
import { createModel } from './registry.js';
import { noiseFeeds, Random } from './testing.js';
import type { VAE } from './vae.js';

describe('ancestral sampling (seed 004, Algorithm 6)', () => {
  it('hvae: z1 ~ p(z1|z2) (not its mean), then x ~ p(x|z1), recomputed by hand', () => {
    const m = createModel(
      { kind: 'hvae', dataShape: [5], hidden: [6], hidden2: [4], latent1: 3, latent: 2, decoder: 'gaussian' },
      { seed: 7 },
    ) as HierarchicalVAE;
    const n = 4;
    const g = priorSampleGraph(m, n);
    expect(g.noise.map((s) => s.name)).toEqual(['prior.eps', 'ancestral.eps1', 'decoder.draw']);
    const feeds = noiseFeeds(g.noise, new Random(3));
    const [z2, mean, std, sample] = interpret([g.z, g.mean, g.std!, g.sample!], feeds);
    // By hand: z1 = μ1(z2) + σ1(z2) ε1, then the decoder's μ_x, σ_x at z1 and x = μ_x + σ_x ε.
    const z2in = input('z2', [n, 2]);
    const p1 = m.p1(z2in);
    const [mu1, lv1, meanPath] = interpret([p1.mu, p1.logVar, m.decodeMean(z2in)], { z2 });
    const z1 = mu1.map((v, i) => v + Math.exp(lv1[i] / 2) * feeds['ancestral.eps1'][i]);
    const z1in = input('z1', [n, 3]);
    const out = m.decoder(z1in);
    const [mx, sx] = interpret([m.likelihood.mean(out), m.likelihood.std(out)!], { z1 });
    mean.forEach((v, i) => expect(v).toBeCloseTo(mx[i], 10));
    std.forEach((v, i) => expect(v).toBeCloseTo(sx[i], 10));
    sample.forEach((v, i) => expect(v).toBeCloseTo(mx[i] + sx[i] * feeds['decoder.draw'][i], 10));
    // The old mean path E[x | E[z1|z2]] is a different quantity.
    expect(Math.max(...mean.map((v, i) => Math.abs(v - meanPath[i])))).toBeGreaterThan(1e-3);
  });

  it('continuous Bernoulli decoder: the draw is the CB inverse CDF at the decoder logits, not a Bernoulli draw', () => {
    const m = createModel({ dataShape: [6], hidden: [5], latent: 2, decoder: 'continuous-bernoulli' }, { seed: 2 }) as VAE;
    const g = priorSampleGraph(m, 50);
    const u = g.noise.find((s) => s.name === 'decoder.draw')!;
    expect(u.kind).toBe('uniform');
    const feeds = noiseFeeds(g.noise, new Random(5));
    const zin = input('z', [50, 2]);
    const [z, sample] = interpret([g.z, g.sample!], feeds);
    const [expected] = interpret([continuousBernoulliSample(m.decoder(zin), input('u', [50, 6]))], { z, u: feeds['decoder.draw'] });
    sample.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    expect(sample.some((v) => v > 0.01 && v < 0.99)).toBe(true);
  });

  it('Bernoulli decoder: x = 1 exactly when u < σ(ℓ)', () => {
    const m = createModel({ dataShape: [6], hidden: [5], latent: 2 }, { seed: 2 });
    const g = priorSampleGraph(m, 20);
    const feeds = noiseFeeds(g.noise, new Random(6));
    const [p, x] = interpret([g.mean, g.sample!], feeds);
    x.forEach((v, i) => expect(v).toBe(feeds['decoder.draw'][i] < p[i] ? 1 : 0));
  });
});
