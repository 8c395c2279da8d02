import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Evaluator } from 'vaelab/eval';
import { evaluationInputs, evaluationSeed, loadRun, runExperiment } from 'vaelab/train';
import { classSeparation } from './classSeparation.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-diagnostic-example-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.env.VAELAB_QUICK)('example: a custom diagnostic over a trained run', () => {
  it("reads the evaluation's own binarized test examples, and finds class information in the posterior means", async () => {
    const dir = join(root, 'run');
    const summary = await runExperiment(
      {
        model: { decoder: 'bernoulli', latent: 4, hidden: [128] },
        train: { dataset: 'mnist', binarize: 'dynamic', trainN: 3000, batch: 100, maxSteps: 150, epochs: 100, threads: 1, seed: 7 },
        eval: { k: 0, n: 500 },
      },
      { out: dir },
    );
    // The seed rule by API: the run's test ELBO is recomputed exactly from evaluationInputs (already binarized:
    // preprocess 'raw') with the noise of the evaluation seed.
    const run = await loadRun(dir);
    const inputs = evaluationInputs(run);
    expect(inputs.data.n).toBe(500);
    expect(new Set(inputs.data.data).size).toBe(2); // one binarization draw: zeros and ones
    const again = await new Evaluator(run.model, {
      n: 500,
      k: 0,
      preprocess: 'raw',
      seed: evaluationSeed(run.config),
      threads: 1,
    }).evaluate(inputs.data);
    expect(again.elbo).toBeCloseTo(summary.testElbo!, 6);

    const { ratio, n } = await classSeparation(dir, 500);
    expect(n).toBe(500);
    expect(ratio).toHaveLength(4);
    for (const r of ratio) expect(r).toBeGreaterThanOrEqual(0);
    // A trained MNIST VAE's latents separate the digits well above a random projection's ~1/n.
    expect(Math.max(...ratio)).toBeGreaterThan(0.2);
  }, 120_000);
});
