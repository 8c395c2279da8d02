import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { elboSurgery } from './elboSurgery.js';

const fill = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

describe('ELBO surgery', () => {
  it('gives no mutual information when every posterior is the same, and then the marginal KL is the average KL', () => {
    const n = 40, d = 2;
    const r = elboSurgery(fill(n * d, (i) => (i % 2 ? -0.4 : 0.7)), fill(n * d, () => 0.5), n, d, { samples: 100 });
    // KL(N(μ, σ²) ‖ N(0, 1)) summed over the two latents, closed form.
    const kl = 0.5 * (0.49 + 0.5 - 1 - Math.log(0.5)) + 0.5 * (0.16 + 0.5 - 1 - Math.log(0.5));
    expect(r.avgKl).toBeCloseTo(kl, 5);
    expect(Math.abs(r.mutualInformation)).toBeLessThan(1e-9);
    expect(r.marginalKl).toBeCloseTo(kl, 1);
  });

  it('gives log N of mutual information when the posteriors do not overlap', () => {
    const n = 25, d = 2;
    const r = elboSurgery(fill(n * d, (i) => (i % 2 ? 0 : 50 * Math.floor(i / 2))), fill(n * d, () => 0.01), n, d, { samples: 4 });
    expect(r.logN).toBeCloseTo(Math.log(25), 12);
    expect(r.mutualInformation).toBeCloseTo(Math.log(25), 6);
  });

  it('splits the average KL into mutual information plus marginal KL (Monte Carlo, to its error)', () => {
    const rng = new Random(5);
    const n = 30, d = 3;
    const mu = fill(n * d, () => rng.normal());
    const s2 = fill(n * d, () => 0.05 + rng.uniform());
    const r = elboSurgery(mu, s2, n, d, { samples: 400, seed: 1 });
    expect(r.mutualInformation).toBeGreaterThan(0);
    expect(r.mutualInformation).toBeLessThan(r.logN);
    expect(r.mutualInformation + r.marginalKl).toBeCloseTo(r.avgKl, 1);
  });
});
