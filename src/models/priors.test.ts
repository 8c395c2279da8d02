import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import { DiagonalGaussian } from '../distributions/normal.js';
import { createModel } from './registry.js';
import { mixturePrior, standardNormalPrior } from './priors.js';
import { noiseFeeds, noiseInputs } from './testing.js';
import { ParameterStore } from '../nn/store.js';
import type { VAE } from './vae.js';

describe('priors', () => {
  it('standard normal log p(z) = Σ −½(z² + log 2π)', () => {
    const z = input('z', [2, 2]);
    const [lp] = interpret([standardNormalPrior(2).logProb(z)], { z: [0, 0, 1, -2] });
    expect(lp[0]).toBeCloseTo(-Math.log(2 * Math.PI), 12);
    expect(lp[1]).toBeCloseTo(-Math.log(2 * Math.PI) - 2.5, 12);
  });

  it('a one-component mixture prior equals its Gaussian', () => {
    const store = new ParameterStore(3);
    const prior = mixturePrior(store, 3, 1);
    store.get('prior.logVar').value.set([0.2, -0.4, 1]);
    const g = new DiagonalGaussian(input('mu', [1, 3]), input('lv', [1, 3]));
    const z = input('z', [4, 3]);
    const feeds = { z: new Random(1).fillNormal(new Float64Array(12)), mu: store.get('prior.mu').value, lv: [0.2, -0.4, 1] };
    const [a, b] = interpret([prior.logProb(z), g.logProb(z)], feeds);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });

  it('mixture sampling picks component c with probability π_c and then draws from it', () => {
    const store = new ParameterStore(3);
    const prior = mixturePrior(store, 1, 3, 'learned');
    store.get('prior.mu').value.set([-10, 0, 10]);
    store.get('prior.logits').value.set([0, Math.log(2), Math.log(5)]);
    const n = 4000;
    const specs = prior.noise(n);
    const [z] = interpret([prior.sample(noiseInputs(specs), n)], noiseFeeds(specs, new Random(5)));
    const counts = [0, 0, 0];
    z.forEach((v) => counts[v < -5 ? 0 : v > 5 ? 2 : 1]++);
    [1 / 8, 2 / 8, 5 / 8].forEach((p, c) => {
      expect(Math.abs(counts[c] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it('the uniform mixture (the default) weighs C = 3 components by 1/3: log p = log Σ_c N(z; μ_c, σ_c²) − log 3', () => {
    const store = new ParameterStore(3);
    const prior = mixturePrior(store, 2, 3);
    expect(store.all().map((p) => p.name)).toEqual(['prior.mu', 'prior.logVar']);
    store.get('prior.logVar').value.set([0.5, -0.3, 0, 0.2, -1, 1]);
    const mu = store.get('prior.mu').value;
    const lv = store.get('prior.logVar').value;
    const zv = [0.4, -1.2, 2, 0.1];
    const [lp] = interpret([prior.logProb(input('z', [2, 2]))], { z: zv });
    const logN = (x: number, m: number, l: number): number => -0.5 * (Math.log(2 * Math.PI) + l + (x - m) ** 2 / Math.exp(l));
    for (let b = 0; b < 2; b++) {
      const dens = [0, 1, 2].map((c) =>
        Math.exp(logN(zv[2 * b], mu[2 * c], lv[2 * c]) + logN(zv[2 * b + 1], mu[2 * c + 1], lv[2 * c + 1])),
      );
      expect(lp[b]).toBeCloseTo(Math.log(dens.reduce((a, v) => a + v, 0)) - Math.log(3), 6);
    }
    // Uniform sampling: each component a third of the time.
    store.get('prior.mu').value.set([-10, 0, 10, 0, 20, 0]);
    const n = 3000;
    const specs = prior.noise(n);
    const [z] = interpret([prior.sample(noiseInputs(specs), n)], noiseFeeds(specs, new Random(2)));
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[z[2 * i] < -5 ? 0 : z[2 * i] > 15 ? 2 : 1]++;
    counts.forEach((c) => expect(Math.abs(c / n - 1 / 3)).toBeLessThan(4 * Math.sqrt(2 / 9 / n)));
  });

  it('VampPrior with one pseudo-input equal to x gives log p(z) = log q(z|x)', () => {
    const model = createModel({ dataShape: [6], hidden: [5], latent: 3, prior: 'vampprior', components: 1 }, { seed: 2 }) as VAE;
    const xVal = [0, 1, 0.3, 1, 0, 0.8];
    model.store.get('prior.pseudoInputs').value.set(xVal);
    const x = input('x', [1, 6]);
    const z = input('z', [5, 1, 3]);
    const q = model.encoder(x);
    const feeds = { x: xVal, z: new Random(9).fillNormal(new Float64Array(15)) };
    const [lp, lq] = interpret([model.prior.logProb(z), q.logProb(z)], feeds);
    lp.forEach((v, i) => expect(v).toBeCloseTo(lq[i], 5));
  });
});
