import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../engine/errors.js';
import { encodeSource } from '../eval/encode.js';
import { Decoder } from '../report/pictures.js';
import { loadRun, runExperiment } from '../train/experiment.js';
import { ModelExplorer } from './explorer.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-explorer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = (decoder: string, latent: number) => ({
  model: { kind: 'vae', decoder, latent, hidden: [32] },
  train: {
    dataset: 'mnist',
    binarize: decoder === 'bernoulli' ? 'static' : 'none',
    trainN: 300,
    batch: 30,
    maxSteps: 20,
    validation: 100,
    threads: 1,
  },
  eval: { enabled: false },
});

/** The grey level of pixel (x, y) of the 28×28 image as drawn at scale 6. */
const pixel = (png: PNG, x: number, y: number) => png.data[((y * 6 + 3) * png.width + x * 6 + 3) * 4];

describe('ModelExplorer', () => {
  let bern: string;
  let gauss: string;
  beforeAll(async () => {
    bern = join(root, 'bern');
    gauss = join(root, 'gauss');
    await runExperiment(tiny('bernoulli', 5), { out: bern });
    await runExperiment(tiny('gaussian', 2), { out: gauss });
  });

  it('decodes a latent point to the PNG of μ_x(z), as the report decoder computes it', async () => {
    const ex = await ModelExplorer.load(gauss, { n: 200 });
    expect(ex.info).toMatchObject({ d: 2, plane: [0, 1], gaussian: true, examples: 200, image: { c: 1, h: 28, w: 28 } });
    const { model } = await loadRun(gauss);
    const dec = await Decoder.create(model, 1);
    const z = [0.7, -1.2];
    const { mean, std } = await dec.decode(Float32Array.from(z));
    const check = async (mode: 'mean' | 'alpha', want: (i: number) => number) => {
      const png = PNG.sync.read(await ex.decode(z, mode, 1.5));
      expect([png.width, png.height]).toEqual([168, 168]);
      for (let i = 0; i < 784; i += 7) {
        expect(
          Math.abs(pixel(png, i % 28, Math.floor(i / 28)) - Math.round(255 * Math.min(1, Math.max(0, want(i))))),
          `pixel ${i}`,
        ).toBeLessThanOrEqual(1);
      }
    };
    await check('mean', (i) => mean[i]);
    await check('alpha', (i) => mean[i] + 1.5 * std![i]); // μ_x(z) + α σ_x(z), seed 004
    // ancestral draws differ from one seed to the next and repeat for the same seed
    const a = await ex.decode(z, 'ancestral', 0, 1);
    expect(Buffer.compare(a, await ex.decode(z, 'ancestral', 0, 1))).toBe(0);
    expect(Buffer.compare(a, await ex.decode(z, 'ancestral', 0, 2))).not.toBe(0);
  });

  it('puts the two most active latents on the plane and encodes test images as encodeSource does', async () => {
    const ex = await ModelExplorer.load(bern, { n: 100 });
    const law = ex.info.law!;
    const top = [...law]
      .sort((p, q) => q.varMu - p.varMu)
      .slice(0, 2)
      .map((r) => r.latent);
    expect(ex.info.plane).toEqual(top);
    expect(ex.info.gaussian).toBe(false);
    const { model, data } = await loadRun(bern);
    const enc = await encodeSource(model, data.test!, { n: 100, preprocess: data.preprocess, seed: 0, threads: 1 });
    const e = ex.encoded(42);
    expect(e.mu).toEqual(Array.from(enc.mu.subarray(42 * 5, 43 * 5)));
    e.sigma.forEach((s, j) => expect(s * s).toBeCloseTo(enc.sigma2[42 * 5 + j], 6));
    expect(e.label).toBe(enc.labels![42]);
    expect(ex.info.points[42]).toEqual({ x: e.mu[top[0]], y: e.mu[top[1]], label: e.label });
  });

  it('names what is wrong with a request as a user error', async () => {
    const ex = await ModelExplorer.load(bern, { n: 10 });
    await expect(ex.decode([0, 0, 0, 0, 0], 'alpha')).rejects.toThrow(/needs a Gaussian decoder/);
    await expect(ex.decode([0, 0], 'mean')).rejects.toThrow(UserError);
    await expect(ex.decode([0, 0, 0, 0, NaN], 'mean')).rejects.toThrow(/5 finite numbers/);
    expect(() => ex.encoded(10)).toThrow(/out of range: 0 to 9/);
    await expect(ModelExplorer.load(join(root, 'missing'))).rejects.toThrow(UserError);
    await expect(ModelExplorer.load(join(root, 'missing'))).rejects.toThrow(/cannot load the run in .*missing: .*is not a run directory/);
  });
});
