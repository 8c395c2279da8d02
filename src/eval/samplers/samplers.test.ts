import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { UserError } from '../../engine/errors.js';
import { makeDataset } from '../../data/dataset.js';
import { createModel } from '../../models/registry.js';
import type { LatentVariableModel } from '../../models/types.js';
import { createSampler, type SamplerContext, type SamplerName } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-samplers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const D = 6;
const d = 2;
const rng = new Random(1);
const train = makeDataset({
  name: 'toy',
  shape: [D],
  n: 300,
  range: 'unit',
  data: Float32Array.from({ length: 300 * D }, () => rng.uniform()),
});
const model = (kind: 'vae' | 'ae', prior = 'standard'): LatentVariableModel =>
  createModel({ kind, latent: d, hidden: [8], prior: prior as 'standard', components: 4, dataShape: [D] }, { seed: 3 });
const context = (m: LatentVariableModel, runDir?: string, prior = 'standard'): SamplerContext => ({
  model: m,
  prior,
  train,
  preprocess: 'grey',
  runDir,
  threads: 1,
});
const opts = { components: 3, twoStageEpochs: 2, fitN: 200 };

describe('latent samplers', () => {
  const vae = model('vae');
  it.each(['prior', 'aggregate', 'gmm', 'two-stage'] as SamplerName[])(
    '%s: n draws of d latents, finite, reproducible from the seed',
    async (name) => {
      const s = createSampler(name, context(vae, join(root, 'vae')), opts);
      const a = await s.sample(50, 7);
      expect(a).toHaveLength(50 * d);
      expect(a.every(Number.isFinite)).toBe(true);
      expect(await s.sample(50, 7)).toEqual(a);
      expect(await s.sample(50, 8)).not.toEqual(a);
    },
  );

  it('stores the fitted mixture and second stage in the run directory and reuses them', async () => {
    const dir = join(root, 'store');
    const first = {
      gmm: await createSampler('gmm', context(vae, dir), opts).sample(20, 1),
      two: await createSampler('two-stage', context(vae, dir), opts).sample(20, 1),
    };
    expect(readdirSync(join(dir, 'samplers')).sort()).toEqual(['gmm-3-full-200-0.json', 'two-stage-2-200-0']);
    expect(existsSync(join(dir, 'samplers', 'two-stage-2-200-0', 'checkpoint.json'))).toBe(true);
    // A fresh context (no codes in memory) reads the stored fits: the same draws.
    expect(await createSampler('gmm', context(vae, dir), opts).sample(20, 1)).toEqual(first.gmm);
    expect(await createSampler('two-stage', context(vae, dir), opts).sample(20, 1)).toEqual(first.two);
  });

  it('for the deterministic AE, aggregate draws are training codes μ(x) (σ = 0)', async () => {
    const ae = model('ae');
    const ctx = context(ae);
    const z = await createSampler('aggregate', ctx, opts).sample(30, 2);
    const codes = await ctx.codes!;
    for (let r = 0; r < 30; r++) {
      const hit = Array.from({ length: codes.n }, (_, i) => i).some(
        (i) => codes.mu[i * d] === z[r * d] && codes.mu[i * d + 1] === z[r * d + 1],
      );
      expect(hit).toBe(true);
    }
    expect(await createSampler('gmm', ctx, opts).sample(10, 2)).toHaveLength(10 * d);
  });

  it('draws from the pseudo-input mixture of a VampPrior run, and refuses other runs', async () => {
    expect(() => createSampler('pseudo-inputs', context(vae), opts)).toThrow(UserError);
    expect(() => createSampler('pseudo-inputs', context(vae), opts)).toThrow(/VampPrior.*'standard'/);
    const vamp = model('vae', 'vampprior');
    const s = createSampler('pseudo-inputs', context(vamp, undefined, 'vampprior'), opts);
    const a = await s.sample(40, 5);
    expect(a).toHaveLength(40 * d);
    expect(await s.sample(40, 5)).toEqual(a);
  });
});
