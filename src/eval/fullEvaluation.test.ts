/** `eval.surgery` (vaelab train --surgery): the run's summary gains seed 002's surgery row and the PCA row. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel } from '../models/registry.js';
import { trainConfigSchema } from '../train/config.js';
import { loadRunData, runExperiment } from '../train/experiment.js';
import { evaluateFull } from './fullEvaluation.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-full-eval-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the final evaluation with eval.surgery', () => {
  it('adds ELBO surgery over the training posteriors and the PCA / pPCA comparison to the summary', async () => {
    const s = await runExperiment(
      {
        model: { kind: 'vae', hidden: [16], latent: 3 },
        train: { dataset: 'mnist', binarize: 'none', trainN: 200, batch: 50, maxSteps: 8, threads: 1 },
        eval: { k: 5, n: 40, surgery: true },
      },
      { out: join(root, 'run') },
    );
    expect(s.surgery!.n).toBe(200);
    expect(s.surgery!.logN).toBeCloseTo(Math.log(200), 10);
    expect(s.surgery!.avgKl).toBeCloseTo(s.surgery!.mutualInformation + s.surgery!.marginalKl, 8);
    expect(s.surgery!.mutualInformation).toBeLessThanOrEqual(s.surgery!.logN);
    expect(s.pca!.latent).toBe(3);
    expect(s.pca!.ppcaLogLikelihood).not.toBeNull(); // grey levels: continuous data
    expect(s.pca!.vaeReconstructionMse).toBeGreaterThan(0);
    expect(s.testElboSe).toBeGreaterThan(0);
    expect(s.activeUnitsPerLayer).toHaveLength(1);
  });

  it('runs surgery on a PixelVAE and skips the PCA comparison, which needs a one-pass reconstruction, with a note', async () => {
    const model = createModel(
      {
        kind: 'pixelvae',
        dataShape: [1, 28, 28],
        hidden: [16],
        latent: 3,
        pixelLayers: 1,
        pixelKernel: 3,
        pixelChannels: 4,
        condChannels: 2,
      },
      { seed: 0 },
    );
    const data = loadRunData(trainConfigSchema.parse({ dataset: 'mnist', trainN: 100, binarize: 'dynamic' }));
    const r = await evaluateFull(model, data.train, data.test!, { k: 2, n: 20, preprocess: data.preprocess, threads: 1 });
    expect(r.surgery!.n).toBe(100);
    expect(r.pca).toBeNull();
    expect(r.notes.join(' ')).toMatch(/PCA \/ pPCA skipped: an autoregressive decoder/);
  });
});
