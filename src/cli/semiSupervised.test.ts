import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-cli-m2-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tiny = [
  '--model',
  'm2',
  '--latent',
  '3',
  '--hidden',
  '16',
  '--train-n',
  '200',
  '--batch',
  '20',
  '--max-steps',
  '4',
  '--threads',
  '1',
  '--no-report',
  '--quiet',
];

describe('vaelab train/eval with --labels', () => {
  it('refuses M2 without labels and labels that are not balanced, as one-paragraph user errors', async () => {
    const a = await runCli('train', ...tiny, '--out', join(root, 'a'), '--no-eval');
    expect(a.code).toBe(1);
    expect(a.err.join('\n')).toMatch(/model 'm2' needs labelled examples: set train\.labels \(--labels N/);
    const b = await runCli('train', ...tiny, '--labels', '15', '--out', join(root, 'b'), '--no-eval');
    expect(b.code).toBe(1);
    expect(b.err.join('\n')).toMatch(/--labels 15: expected a multiple of the 10 classes/);
    const c = await runCli('train', ...tiny, '--labels', '20', '--beta', '2', '--out', join(root, 'c'), '--no-eval');
    expect(c.code).toBe(1);
    expect(c.err.join('\n')).toMatch(/model 'm2' trains with its own objective .* got objective 'beta'/);
  });

  it.skipIf(process.env.VAELAB_QUICK)(
    'eval --json of an M2 run reports testError and a 10 × 10 confusion matrix over the test set (slow: ~30 s)',
    async () => {
      const dir = join(root, 'm2');
      const t = await runCli('train', ...tiny, '--labels', '20', '--labelled-batch', '10', '--eval-k', '0', '--eval-n', '20', '--out', dir);
      expect(t.code).toBe(0);
      expect(t.out.join('\n')).toMatch(/test error \d+\.\d\d% \(m2\)/);
      const e = await runCli('eval', dir, '--json', '--eval-k', '0', '--eval-n', '20');
      expect(e.code).toBe(0);
      const r = JSON.parse(e.out[e.out.length - 1]);
      expect(r.classifier).toBe('m2');
      expect(r.confusion).toHaveLength(10);
      expect(r.confusion.flat().reduce((s: number, v: number) => s + v, 0)).toBe(10000);
      expect(r.testError).toBeGreaterThanOrEqual(0);
      expect(r.testError).toBeLessThanOrEqual(1);
    },
    180_000,
  );
});
