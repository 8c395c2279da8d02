import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRun, runExperiment } from '../train/experiment.js';
import { VAE } from '../models/vae.js';
import { hasRateDistortion, rateDistortionCurve } from './rateDistortion.js';
import { writeReport } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-rd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.env.VAELAB_QUICK)("the report's rate–distortion section", () => {
  it('a grey-data VAE gets the VAE-vs-PCA curve: rate B × active latents, distortion falling with B; binarized runs do not', async () => {
    const dir = join(root, 'grey');
    await runExperiment(
      {
        model: { decoder: 'gaussian', latent: 4, hidden: [64] },
        train: { dataset: 'mnist', binarize: 'none', trainN: 600, batch: 50, maxSteps: 120, epochs: 100, threads: 1, seed: 2 },
        eval: { enabled: false },
      },
      { out: dir },
    );
    const run = await loadRun(dir);
    expect(hasRateDistortion(run.model, run.config.train.binarize)).toBe(true);
    expect(hasRateDistortion(run.model, 'dynamic')).toBe(false);
    const curve = await rateDistortionCurve(run.model as VAE, run.data.test!, run.data.train, { n: 200, fitN: 500 });
    const k = curve.vae[0].coded;
    expect(k).toBeGreaterThan(0);
    expect(curve.vae.map((p) => p.rate)).toEqual([1, 2, 3, 4, 6, 8].map((b) => b * k));
    expect(curve.pca.map((p) => p.rate)).toEqual(curve.vae.map((p) => p.rate));
    // More bits, less distortion (up to the model's own reconstruction error): 8 bits beat 1 bit for both codes.
    expect(curve.vae.at(-1)!.mse).toBeLessThan(curve.vae[0].mse);
    expect(curve.pca.at(-1)!.mse).toBeLessThan(curve.pca[0].mse);
    for (const p of [...curve.vae, ...curve.pca]) expect(p.psnr).toBeCloseTo(10 * Math.log10(1 / p.mse), 10);

    await writeReport(dir, { n: 200, threads: 1 });
    const html = readFileSync(join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('Rate–distortion (lossy compression)');
    expect(html).toMatch(/<td class="num">8<\/td><td class="num">\d+<\/td>/);
    expect(existsSync(join(dir, 'report', 'rate-distortion.svg'))).toBe(true);
  }, 120_000);
});
