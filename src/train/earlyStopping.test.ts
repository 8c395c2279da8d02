import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../engine/checkpoint.js';
import { runExperiment } from './experiment.js';
import { readMetrics } from './runDir.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-early-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('early stopping on the validation ELBO', () => {
  it('stops after `patience` validations without a better ELBO and ends with the best parameters', async () => {
    const dir = join(root, 'run');
    // A learning rate too small to change float32 weights: the validation ELBO never improves after epoch 1.
    const summary = await runExperiment(
      {
        model: { kind: 'vae', latent: 2, hidden: [8] },
        objective: { kind: 'elbo' },
        train: { dataset: 'mnist', trainN: 100, validation: 50, batch: 25, epochs: 50, lr: 1e-12, patience: 2, threads: 1 },
        eval: { enabled: false },
      },
      { out: dir },
    );
    expect(summary.stopped).toBe('early-stopped');
    // Epoch 1 sets the best; epochs 2 and 3 do not beat it; training stops at the end of epoch 3.
    expect(summary.epochs).toBe(3);
    expect(summary.steps).toBe(12);
    const validations = readMetrics(dir).filter((r) => r.kind === 'validation');
    expect(validations).toHaveLength(3);
    expect(summary.bestValidationElbo).toBe(validations[0].elbo);
    const best = await loadCheckpoint(join(dir, 'checkpoints', 'best'));
    const final = await loadCheckpoint(join(dir, 'checkpoints', 'final'));
    for (const [name, t] of Object.entries(best.groups.model)) {
      expect(Buffer.from(final.groups.model[name].data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
    }
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });
});
