import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-train-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runCli;

const tiny = [
  '--train-n',
  '200',
  '--batch',
  '20',
  '--max-steps',
  '6',
  '--latent',
  '4',
  '--hidden',
  '16',
  '--eval-k',
  '5',
  '--eval-n',
  '40',
  '--threads',
  '1',
  '--quiet',
  '--no-report',
];
const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

describe('vaelab train: the flags of issue #8', () => {
  it('hvae layer sizes, free-bits groups and a dequantized continuous Bernoulli: recorded, bits/dim by hand, ancestral samples', async () => {
    const dir = join(root, 'hvae');
    const r = await run(
      'train',
      ...tiny,
      '--model',
      'hvae',
      '--latent1',
      '6',
      '--hidden2',
      '5,5',
      '--decoder',
      'continuous-bernoulli',
      '--binarize',
      'none',
      '--free-bits',
      '0.1',
      '--free-bits-groups',
      '2',
      '--out',
      dir,
      '--json',
    );
    expect(r.code, r.err.join('\n')).toBe(0);
    const c = config(dir);
    expect(c.model).toMatchObject({ kind: 'hvae', latent1: 6, hidden2: [5, 5], latent: 4 });
    expect(c.objective).toMatchObject({ kind: 'free-bits', freeBits: { lambda: 0.1, groups: 2 } });
    expect(c.train.dequantize).toBe(true);
    const s = JSON.parse(r.out[r.out.length - 1]);
    // (NLL + D log 256) / (D ln 2), D = 784.
    expect(s.warnings).toEqual([]);
    expect(s.bitsPerDim).toBeCloseTo((s.testNll + 784 * Math.log(256)) / (784 * Math.LN2), 8);
    const e = await run('eval', dir, '--eval-k', '5', '--eval-n', '40', '--json');
    expect(e.code, e.err.join('\n')).toBe(0);
    const ej = JSON.parse(e.out[e.out.length - 1]);
    expect(ej.bitsPerDim).toBeCloseTo((ej.testNll + 784 * Math.log(256)) / (784 * Math.LN2), 8);
    expect((await run('sample', dir, '--n', '4', '--mode', 'ancestral', '--out', join(root, 'h.png'))).code).toBe(0);
  });

  it('IAF steps, width and context, σ of the fixed-σ decoder, mixture weights and the log-variance floor', async () => {
    const dir = join(root, 'iaf');
    const r = await run(
      'train',
      ...tiny,
      '--flow-steps',
      '2',
      '--flow-hidden',
      '8',
      '--flow-context',
      '3',
      '--decoder',
      'gaussian-fixed',
      '--sigma',
      '0.05',
      '--prior',
      'mog',
      '--mixture-weights',
      'learned',
      '--binarize',
      'none',
      '--no-dequantize',
      '--no-eval',
      '--out',
      dir,
    );
    expect(r.code, r.err.join('\n')).toBe(0);
    const c = config(dir);
    expect(c.model).toMatchObject({
      flowSteps: 2,
      flowHidden: [8],
      flowContext: 3,
      decoder: 'gaussian-fixed',
      sigma: 0.05,
      prior: 'mog',
      mixtureWeights: 'learned',
    });
    expect(c.train.dequantize).toBe(false);
    // A density on MNIST's exact 0s and 1s without dequantization: warned once, kept in summary.json.
    const warnings = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).warnings as string[];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/'gaussian-fixed' decoder .*mnist.*without dequantization/);
    const f = await run(
      'train',
      ...tiny,
      '--decoder',
      'gaussian',
      '--min-log-var',
      '-11',
      '--binarize',
      'none',
      '--no-eval',
      '--out',
      join(root, 'floor'),
    );
    expect(f.code, f.err.join('\n')).toBe(0);
    expect(config(join(root, 'floor')).model.decoderMinLogVar).toBe(-11);
    const bad = await run('train', '--min-log-var', 'low');
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/--min-log-var.*"low"/);
  });
});
