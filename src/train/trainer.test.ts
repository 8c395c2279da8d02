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
  /** Asserts that two runs' final checkpoints hold bit-identical parameters and optimizer state. */
  async function expectSameFinal(dirA: string, dirB: string): Promise<void> {
    const ca = await loadCheckpoint(join(dirA, 'checkpoints', 'final'));
    const cb = await loadCheckpoint(join(dirB, 'checkpoints', 'final'));
    expect(cb.step).toBe(ca.step);
    for (const group of ['model', 'optimizer']) {
      const names = Object.keys(ca.groups[group]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect(Buffer.from(cb.groups[group][name].data.buffer).equals(Buffer.from(ca.groups[group][name].data.buffer)), name).toBe(true);
    }
  }
  const withTrain = (over: Record<string, unknown>): RunConfigInput => ({ ...tiny, train: { ...tiny.train, ...over } });
  /** The uninterrupted 25-step run with `stepsPerRun` in `root/name`, trained once by whichever test needs it first. */
  const uninterrupted = new Map<string, Promise<string>>();
  function fullRun(name: string, stepsPerRun: number | undefined): Promise<string> {
    let dir = uninterrupted.get(name);
    if (!dir)
      uninterrupted.set(name, (dir = runExperiment(withTrain({ stepsPerRun }), { out: join(root, name) }).then(() => join(root, name))));
    return dir;
  }

  // Default 8 steps per run: 10 steps per epoch run as 8 looped + 2 single; stopping at 13 splits the
  // second epoch's looped run into single steps 11-13, and the resumed run does 14-20 one by one.
  it.each([
    ['1 step per run', 1, 'a1', 'b1'],
    ['8 steps per run (the default)', undefined, 'a', 'b'],
  ])('resumes from a checkpoint to bit-identical parameters and optimizer state, %s', async (_, stepsPerRun, nameA, nameB) => {
    const a = await fullRun(nameA, stepsPerRun);
    const b = join(root, nameB);
    const config = withTrain({ stepsPerRun });
    const interrupted = await runExperiment(config, { out: b, stopAtStep: 13 });
    expect(interrupted.stopped).toBe('interrupted');
    expect(interrupted.steps).toBe(13);
    const resumed = await resumeExperiment(b);
    expect(resumed.steps).toBe(25);
    await expectSameFinal(a, b);
  });

  it('gives the same parameters, optimizer state and metrics with 8 steps per run as with 1', async () => {
    const [one, eight] = [await fullRun('a1', 1), await fullRun('a', undefined)];
    await expectSameFinal(one, eight);
    const strip = (dir: string) => (readMetrics(dir) as StepRecord[]).map(({ time: _, ...rest }) => rest);
    expect(strip(eight)).toEqual(strip(one));
  });

  it('splits looped runs at checkpoints and validations, with the same results as single steps', async () => {
    // 3 steps per run, checkpoints every 7 steps, epochs of 10 steps: runs of 3, 3, 1 (checkpoint at 7), 3 (epoch
    // end at 10), 3, 1 (checkpoint at 14), 3, 3 (epoch end at 20), 1 (checkpoint at 21), then single steps to 23.
    const config = withTrain({ validation: 40, checkpointEvery: 7, maxSteps: 23, logEvery: 5 });
    const one = join(root, 'c1');
    const three = join(root, 'c3');
    await runExperiment(withTrain({ ...config.train, stepsPerRun: 1 }), { out: one });
    await runExperiment(withTrain({ ...config.train, stepsPerRun: 3 }), { out: three });
    await expectSameFinal(one, three);
    const strip = (dir: string) => readMetrics(dir).map(({ time: _, ...rest }) => rest);
    expect(strip(three)).toEqual(strip(one));
    expect(
      strip(three)
        .filter((l) => l.kind === 'validation')
        .map((l) => l.step),
    ).toEqual([10, 20]);
    // Interrupted at 8 (inside a looped run's span from 7) and resumed: the same as uninterrupted.
    const resumedDir = join(root, 'c3r');
    await runExperiment(withTrain({ ...config.train, stepsPerRun: 3 }), { out: resumedDir, stopAtStep: 8 });
    await resumeExperiment(resumedDir);
    await expectSameFinal(three, resumedDir);
  });

  it('writes metrics.jsonl lines that parse, with the loss terms, KL per latent, lr, beta and time', async () => {
    const lines = readMetrics(await fullRun('a', undefined)) as StepRecord[];
    expect(lines.map((l) => l.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    for (const l of lines) {
      expect(l.kind).toBe('train');
      for (const k of ['loss', 'elbo', 'reconstruction', 'kl', 'lr', 'beta', 'time', 'epoch'] as const)
        expect(Number.isFinite(l[k]), k).toBe(true);
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
