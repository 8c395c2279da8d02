import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../engine/checkpoint.js';
import { labelOf } from '../data/dataset.js';
import { balancedLabelSplit } from '../data/labelledSplit.js';
import { classifySource } from '../eval/classification.js';
import { M2 } from '../models/m2.js';
import { loadRun, loadRunData, resolveRunConfig, resumeExperiment, runExperiment, type RunConfigInput } from './experiment.js';
import { trainConfigSchema } from './config.js';
import { LABELLED_INPUTS, labelledFeed } from './labelledFeed.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-m2-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A tiny M2 on 200 MNIST images, 20 of them labelled and fed 10 per step: 9 unlabelled steps per epoch.
const tiny: RunConfigInput = {
  model: { kind: 'm2', latent: 3, hidden: [16], activation: 'softplus' },
  train: {
    dataset: 'mnist',
    trainN: 200,
    labels: 20,
    labelledBatch: 10,
    batch: 20,
    maxSteps: 22,
    lr: 3e-3,
    threads: 1,
    binarize: 'dynamic',
  },
  eval: { enabled: false },
};
const withTrain = (over: Record<string, unknown>): RunConfigInput => ({ ...tiny, train: { ...tiny.train, ...over } });

async function expectSameFinal(dirA: string, dirB: string): Promise<void> {
  const [ca, cb] = await Promise.all([dirA, dirB].map((d) => loadCheckpoint(join(d, 'checkpoints', 'final'))));
  expect(cb.step).toBe(ca.step);
  for (const group of ['model', 'optimizer']) {
    const names = Object.keys(ca.groups[group]);
    expect(names.some((n) => n.startsWith('classifier'))).toBe(true);
    for (const name of names)
      expect(Buffer.from(cb.groups[group][name].data.buffer).equals(Buffer.from(ca.groups[group][name].data.buffer)), name).toBe(true);
  }
}

describe('semi-supervised runs (M2)', () => {
  it('feeds each labelled example once per pass, with its own one-hot label, as a function of the step alone', () => {
    const data = loadRunData(trainConfigSchema.parse({ trainN: 200, binarize: 'none' }));
    const split = balancedLabelSplit(data.train, 20, 0);
    const feed = labelledFeed({ source: split.labelled, classes: 10, batch: 10, latent: 3, preprocess: 'grey', seed: 1 });
    const buf = () => Object.fromEntries(feed.specs.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1))]));
    const seen: string[] = [];
    for (const step of [4, 5]) {
      const out = buf();
      feed.fill(step, out);
      for (let b = 0; b < 10; b++) {
        const row = out[LABELLED_INPUTS.x].subarray(b * 784, (b + 1) * 784);
        const j = Array.from({ length: 20 }, (_, i) => i).find((i) => {
          const ref = data.train.kind === 'subset' ? data.train.base : data.train;
          const src = (ref as { data: Uint8Array }).data.subarray(split.labelled.indices[i] * 784, (split.labelled.indices[i] + 1) * 784);
          return src.every((v, k) => Math.abs(v / 255 - row[k]) < 1e-6);
        });
        expect(j).toBeDefined();
        seen.push(String(j));
        const y = Array.from(out[LABELLED_INPUTS.y].subarray(b * 10, (b + 1) * 10));
        expect(y.indexOf(1)).toBe(labelOf(split.labelled, j!));
        expect(y.reduce((s, v) => s + v, 0)).toBe(1);
      }
    }
    expect(new Set(seen).size).toBe(20); // steps 4 and 5 make one pass (2 steps of 10 per pass)
    const again = buf();
    const first = buf();
    feed.fill(5, first);
    feed.fill(9, buf());
    feed.fill(5, again);
    for (const name of Object.keys(first)) expect(Array.from(again[name])).toEqual(Array.from(first[name]));
  });

  it('trains on the unlabelled rest with α = 0.1 · N by default and rejects M2 without labels', () => {
    const { data } = resolveRunConfig(tiny);
    expect(data.labels?.labelled.n).toBe(20);
    expect(data.labels?.unlabelled.n).toBe(180);
    expect(() => resolveRunConfig({ ...tiny, train: { ...tiny.train, labels: 25 } })).toThrow(/multiple of the 10 classes/);
  });

  it('resumes an M2 run bit-identically, and 8 steps per run equal 1', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    await runExperiment(tiny, { out: a });
    expect((await runExperiment(tiny, { out: b, stopAtStep: 13 })).stopped).toBe('interrupted');
    expect((await resumeExperiment(b)).steps).toBe(22);
    await runExperiment(withTrain({ stepsPerRun: 1 }), { out: c });
    await expectSameFinal(a, b);
    await expectSameFinal(a, c);
  });

  it('logs the error of q(y|x) on the labelled validation set at each validation', async () => {
    const dir = join(root, 'validated');
    // 40 validation images besides the 200; 180 unlabelled: one epoch is 9 steps of 20, validated at its end.
    await runExperiment(withTrain({ validation: 40, maxSteps: 9 }), { out: dir });
    const validations = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; step: number; error?: number })
      .filter((r) => r.kind === 'validation');
    expect(validations.map((r) => r.step)).toEqual([9]);
    const { model, data, config } = await loadRun(dir);
    if (!(model instanceof M2)) throw new Error('expected an M2 run');
    const expected = await classifySource(model, data.validation!, { preprocess: data.preprocess, seed: config.train.seed, threads: 1 });
    expect(validations[0].error).toBe(expected.testError);
  });

  it.skipIf(process.env.VAELAB_QUICK)(
    'reports the test error and confusion matrix of M2 and of M1 for a VAE with labels (slow: ~50 s)',
    async () => {
      const evalOn = { enabled: true, k: 0, n: 100 };
      const m2 = await runExperiment({ ...tiny, eval: evalOn }, { out: join(root, 'e2') });
      const m1 = await runExperiment({ ...tiny, model: { kind: 'vae', latent: 3, hidden: [16] }, eval: evalOn }, { out: join(root, 'e1') });
      for (const [s, kind] of [
        [m2, 'm2'],
        [m1, 'm1'],
      ] as const) {
        const c = s.classification!;
        expect(c.classifier).toBe(kind);
        const total = c.confusion.flat().reduce((x, y) => x + y, 0);
        expect(total).toBe(10000);
        const wrong = total - c.confusion.reduce((x, row, i) => x + row[i], 0);
        expect(c.testError).toBeCloseTo(wrong / total, 12);
        expect(c.baselineTestError).toBeGreaterThan(0);
      }
    },
    120_000,
  );
});
