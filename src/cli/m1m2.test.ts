import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../data/registry.js';
import { labelOf } from '../data/dataset.js';
import { columnStd } from '../train/m1Features.js';
import { loadRun } from '../train/experiment.js';
import { runCli } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-cli-m1m2-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.env.VAELAB_QUICK)('M1+M2: vaelab features, then M2 on the features file (slow: ~40 s)', () => {
  it('writes μ of train, validation and test in order with their labels, keeps the active latents, and M2 trains and classifies on them', async () => {
    const m1 = join(root, 'm1');
    const t = await runCli(
      'train',
      '--model',
      'vae',
      '--latent',
      '4',
      '--hidden',
      '16',
      '--train-n',
      '200',
      '--validation',
      '100',
      '--batch',
      '20',
      '--max-steps',
      '30',
      '--threads',
      '1',
      '--no-eval',
      '--no-report',
      '--quiet',
      '--out',
      m1,
    );
    expect(t.code).toBe(0);
    const out = join(root, 'feat');
    const f = await runCli('features', m1, '--out', out, '--threads', '1');
    expect(f.code).toBe(0);
    const run = await loadRun(m1);
    const counts = [run.data.train.n, run.data.validation!.n, run.data.test!.n];
    expect(counts).toEqual([200, 100, 10000]);
    expect(f.out.join('\n')).toContain('rows: 200 train, 100 validation, 10000 test');

    const file = loadDataset(join(out, 'features.npy'), { labels: join(out, 'labels.npy') }).train;
    expect(file.n).toBe(10300);
    expect(file.range).toBe('real');
    const d = file.shape[0];
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThanOrEqual(4);
    // Rows follow the run's parts in order, with the parts' labels.
    const parts = [run.data.train, run.data.validation!, run.data.test!];
    const offsets = [0, 200, 300];
    for (const [p, s] of parts.entries()) for (const i of [0, 7, s.n - 1]) expect(labelOf(file, offsets[p] + i)).toBe(labelOf(s, i));
    // Every kept column varies by more than 0.1 over the training rows.
    const data = file.kind === 'array' ? (file.data as Float32Array) : new Float32Array(0);
    expect(Array.from(columnStd(data.subarray(0, 200 * d), 200, d)).every((s) => s > 0.1)).toBe(true);

    const m2 = await runCli(
      'train',
      '--model',
      'm2',
      '--dataset',
      join(out, 'features.npy'),
      '--labels-file',
      join(out, 'labels.npy'),
      '--validation',
      '100',
      '--test',
      '10000',
      '--binarize',
      'none',
      '--decoder',
      'gaussian',
      '--latent',
      '2',
      '--hidden',
      '8',
      '--labels',
      '20',
      '--labelled-batch',
      '10',
      '--batch',
      '20',
      '--max-steps',
      '4',
      '--threads',
      '1',
      '--eval-k',
      '0',
      '--eval-n',
      '20',
      '--quiet',
      '--out',
      join(root, 'm2'),
    );
    expect(m2.err.join('\n')).toBe('');
    expect(m2.code).toBe(0);
    expect(m2.out.join('\n')).toMatch(/test error \d+\.\d\d% \(m2\)/);
    // The report shows the classifier: the scatter by predicted class and the confusion matrix.
    for (const file of ['latent-scatter-predicted.svg', 'confusion.svg']) expect(existsSync(join(root, 'm2', 'report', file))).toBe(true);
  }, 240_000);
});
