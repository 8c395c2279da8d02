/** The latents' evolution appended to metrics.jsonl at each validation (seed 003). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { loadRun, runExperiment } from '../train/experiment.js';
import { readMetrics, type ValidationRecord } from '../train/runDir.js';
import { diagnose } from './diagnostics.js';
import { LatentEvolution } from './evolution.js';
import { fixInputs } from './fixedInputs.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-evolution-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('latent evolution in metrics.jsonl', () => {
  it('each validation record holds Var μ, E σ² and KL per latent, and they are those of the model at that point', async () => {
    const dir = join(root, 'run');
    await runExperiment(
      {
        model: { kind: 'vae', latent: 3, hidden: [16] },
        objective: { kind: 'elbo' },
        train: { dataset: 'mnist', trainN: 200, validation: 60, batch: 50, epochs: 3, lr: 3e-3, threads: 1, binarize: 'dynamic' },
        eval: { enabled: false },
      },
      { out: dir },
    );
    const vals = readMetrics(dir).filter((r): r is ValidationRecord => r.kind === 'validation');
    expect(vals).toHaveLength(3);
    for (const v of vals) {
      expect(v.latents).toHaveLength(1);
      const [z] = v.latents!;
      expect(z.layer).toBe('z');
      for (const a of [z.varMu, z.meanSigma2, z.kl!]) expect(a).toHaveLength(3);
      // KL_u ≥ 0, and E σ² > 0.
      z.kl!.forEach((k) => expect(k).toBeGreaterThanOrEqual(0));
      z.meanSigma2.forEach((s) => expect(s).toBeGreaterThan(0));
    }
    // Training moves them: the first and last snapshots differ.
    expect(vals[2].latents![0].varMu).not.toEqual(vals[0].latents![0].varMu);
    // The last snapshot is the final model's, measured independently by diagnose() on the same subset.
    const run = await loadRun(dir);
    const ev = new LatentEvolution(run.model, run.data.validation!, {
      preprocess: run.data.preprocess,
      seed: run.config.train.seed,
      threads: 1,
    });
    const again = await ev.measure();
    expect(again[0].varMu).toEqual(vals[2].latents![0].varMu);
    const fixed = fixInputs(run.data.validation!, 60, run.data.preprocess, run.config.train.seed);
    const d = await diagnose(run.model, fixed, new Random(0), { threads: 1 });
    d.varianceLaw.varMu.forEach((v, u) => expect(again[0].varMu[u]).toBeCloseTo(v, 4));
    d.klPerLatent!.forEach((k, u) => expect(again[0].kl![u]).toBeCloseTo(k, 4));
  });
});
