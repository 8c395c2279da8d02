import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import type { Encoded } from '../encode.js';
import { sampleSecondStage, trainSecondStage } from './twoStage.js';

describe('two-stage VAE (Dai & Wipf 2019)', () => {
  it('trains on codes and samples them: moments of its draws match the codes', async () => {
    // Codes z ~ q(z|x) with μ on a curve (a 1-D manifold in 2-D) plus a small σ.
    const n = 2000;
    const d = 2;
    const rng = new Random(4);
    const mu = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const t = 2 * rng.uniform() - 1;
      mu[i * d] = 3 + 2 * t;
      mu[i * d + 1] = -1 + t * t;
    }
    const codes: Encoded = { n, d, mu, sigma2: new Float32Array(n * d).fill(0.01), kl: null, labels: null, inputs: new Float32Array(0) };
    const early = await trainSecondStage(codes, { epochs: 1, hidden: [32, 32], seed: 1, threads: 1 });
    const stage = await trainSecondStage(codes, { epochs: 25, hidden: [32, 32], seed: 1, threads: 1 });
    expect(stage.elbo).toBeGreaterThan(early.elbo);
    const z = await sampleSecondStage(stage, 3000, 9, 1);
    expect(z).toHaveLength(3000 * d);
    const moments = (j: number) => {
      let m = 0;
      let m2 = 0;
      for (let i = 0; i < 3000; i++) {
        m += z[i * d + j] / 3000;
        m2 += z[i * d + j] ** 2 / 3000;
      }
      return { mean: m, std: Math.sqrt(m2 - m * m) };
    };
    // Data: z0 uniform on [1, 5] (mean 3, std 2/√3 ≈ 1.15); z1 = −1 + t² (mean −2/3, std ≈ 0.30).
    expect(moments(0).mean).toBeCloseTo(3, 0);
    expect(Math.abs(moments(0).std - 1.155)).toBeLessThan(0.25);
    expect(Math.abs(moments(1).mean + 0.667)).toBeLessThan(0.15);
    expect(Math.abs(moments(1).std - 0.3)).toBeLessThan(0.12);
    expect(await sampleSecondStage(stage, 3000, 9, 1)).toEqual(z);
  });
});
