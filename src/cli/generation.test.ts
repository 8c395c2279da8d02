import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-cli-generation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runCli;

describe('vaelab sample --sampler, eval --generation', () => {
  it('samples an MNIST run through the fitted samplers and refuses pseudo-inputs without a VampPrior', async () => {
    const dir = join(root, 'mnist');
    const t = await run(
      'train',
      '--train-n',
      '300',
      '--batch',
      '30',
      '--max-steps',
      '10',
      '--latent',
      '3',
      '--hidden',
      '16',
      '--validation',
      '50',
      '--no-eval',
      '--no-report',
      '--threads',
      '1',
      '--quiet',
      '--out',
      dir,
    );
    expect(t.code, t.err.join('\n')).toBe(0);
    const png = join(root, 'gmm.png');
    const s = await run(
      'sample',
      dir,
      '--sampler',
      'gmm',
      '--components',
      '3',
      '--covariance',
      'diag',
      '--n',
      '16',
      '--mode',
      'mean',
      '--out',
      png,
    );
    expect(s.code, s.err.join('\n')).toBe(0);
    expect(s.out.join('\n')).toMatch(
      /fitted a 3-component diag-covariance Gaussian mixture[\s\S]*wrote 16 samples \(mean, z ~ a 3-component/,
    );
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const bad = await run('sample', dir, '--sampler', 'pseudo-inputs', '--out', png);
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/VampPrior/);
  });

  it('adds generation (Fréchet distance, precision, recall) to eval --json, with classifier features on labelled data', async () => {
    const dir = join(root, 'pinwheel');
    const t = await run(
      'train',
      '--dataset',
      'pinwheel',
      '--decoder',
      'gaussian',
      '--batch',
      '50',
      '--max-steps',
      '40',
      '--latent',
      '2',
      '--hidden',
      '16',
      '--validation',
      '100',
      '--no-eval',
      '--no-report',
      '--threads',
      '1',
      '--quiet',
      '--out',
      dir,
    );
    expect(t.code, t.err.join('\n')).toBe(0);
    const ev = await run('eval', dir, '--eval-k', '5', '--eval-n', '50', '--generation', '--sampler', 'aggregate', '--n', '200', '--json');
    expect(ev.code, ev.err.join('\n')).toBe(0);
    const g = JSON.parse(ev.out[ev.out.length - 1]).generation;
    expect(g).toMatchObject({ sampler: 'aggregate', n: 200, features: 'classifier' });
    for (const k of ['frechetDistance', 'precision', 'recall']) expect(Number.isFinite(g[k]), k).toBe(true);
    expect(g.precision).toBeGreaterThanOrEqual(0);
    expect(g.recall).toBeLessThanOrEqual(1);
    expect(g.classifierAccuracy).toBeGreaterThan(0.5);
    const text = await run('eval', dir, '--eval-k', '5', '--eval-n', '50', '--generation', '--n', '100');
    expect(text.code, text.err.join('\n')).toBe(0);
    expect(text.out.join('\n')).toMatch(
      /features: the \d+ penultimate units[\s\S]*samples \(prior, n = 100, classifier features\): Fréchet distance/,
    );
  });
});
