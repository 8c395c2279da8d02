import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../engine/checkpoint.js';
import { log, neg } from '../engine/ops.js';
import { createModel } from '../models/registry.js';
import { buildObjective } from '../objectives/config.js';
import { resolveRunConfig, resumeExperiment, runExperiment, type RunConfigInput } from './experiment.js';
import { readMetrics, type StepRecord } from './runDir.js';
import { train } from './trainer.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A tiny MLP VAE on 200 MNIST images: 10 steps per epoch, 25 steps cross two epoch boundaries.
const tiny: RunConfigInput = {
  model: { kind: 'vae', latent: 4, hidden: [16] },
  objective: { kind: 'warmup', warmupSteps: 20 },
  train: { dataset: 'mnist', trainN: 200, batch: 20, maxSteps: 25, lr: 3e-3, threads: 1, logEvery: 1, binarize: 'dynamic' },
  eval: { enabled: false },
};

describe('trainer', () => {
  it('resumes from a checkpoint to bit-identical parameters and optimizer state', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await runExperiment(tiny, { out: a });
    const interrupted = await runExperiment(tiny, { out: b, stopAtStep: 13 });
    expect(interrupted.stopped).toBe('interrupted');
    expect(interrupted.steps).toBe(13);
    const resumed = await resumeExperiment(b);
    expect(resumed.steps).toBe(25);
    const ca = await loadCheckpoint(join(a, 'checkpoints', 'final'));
    const cb = await loadCheckpoint(join(b, 'checkpoints', 'final'));
    expect(cb.step).toBe(25);
    for (const group of ['model', 'optimizer']) {
      const names = Object.keys(ca.groups[group]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(Buffer.from(cb.groups[group][name].data.buffer).equals(Buffer.from(ca.groups[group][name].data.buffer)), name).toBe(true);
    }
  });

  it('writes metrics.jsonl lines that parse, with the loss terms, KL per latent, lr, beta and time', () => {
    const lines = readMetrics(join(root, 'a')) as StepRecord[];
    expect(lines.map((l) => l.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    for (const l of lines) {
      expect(l.kind).toBe('train');
      for (const k of ['loss', 'elbo', 'reconstruction', 'kl', 'lr', 'beta', 'time', 'epoch'] as const) expect(Number.isFinite(l[k]), k).toBe(true);
      expect(l.klPerLatent).toHaveLength(4);
    }
    // KL warm-up over 20 steps: beta = step/20 for the 0-based step, then 1.
    expect(lines[0].beta).toBe(0);
    expect(lines[10].beta).toBeCloseTo(0.5);
    expect(lines[24].beta).toBe(1);
    expect(lines[9].epoch).toBe(1);
  });

  it('stops with a message naming the step and the term that blew up', async () => {
    const { config, data } = resolveRunConfig(tiny);
    const model = createModel(config.model, { seed: 0 });
    const run = train({
      model,
      // The KL term turns NaN (log of a negative number); the loss stays finite.
      objective: (x, noise, inputs) => {
        const o = buildObjective(model, x, noise, config.objective, inputs);
        return { ...o, kl: log(neg(o.kl)) };
      },
      k: 1,
      inputsAt: () => ({ beta: 1, capacity: 0 }),
      config: config.train,
      train: data.train,
      preprocess: data.preprocess,
    });
    await expect(run).rejects.toThrow(/diverged at step 1: kl is NaN/);
  });
});
