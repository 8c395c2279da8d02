import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './testing.js';
import { UserError } from '../engine/errors.js';
import { main } from './main.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runCli;

const tiny = [
  '--train-n',
  '300',
  '--batch',
  '30',
  '--max-steps',
  '12',
  '--latent',
  '3',
  '--hidden',
  '16',
  '--validation',
  '100',
  '--eval-k',
  '10',
  '--eval-n',
  '50',
  '--threads',
  '1',
  '--quiet',
];

describe('vaelab CLI', () => {
  it.each([
    [['train', '--batch', 'abc'], /--batch.*"abc"/],
    [['train', '--hidden', '200,x'], /--hidden.*200,x/],
    [['train', '--decoder', 'poisson'], /--decoder.*poisson.*bernoulli/],
    [['train', '--eval-k', '-3'], /--eval-k/],
    [['train', '--steps-per-run', '0'], /--steps-per-run.*"0"/],
    [['train', '--dataset', '/no/such/file.npy', '--quiet'], /no such file/],
  ])('rejects %j with exit 1 and a one-paragraph message naming the flag', async (argv, pattern) => {
    const r = await run(...argv);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(pattern);
    expect(r.err[0]).not.toMatch(/\n\s+at /);
  });

  it('names the config field and flag when validation fails after flags are merged', async () => {
    const r = await run(
      'train',
      '--validation',
      '0.5',
      '--train-n',
      '10',
      '--batch',
      '100',
      '--no-eval',
      '--quiet',
      '--out',
      join(root, 'bad'),
    );
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/--batch|batch 100/);
  });

  it('trains end to end through main(); with --json the last stdout line is the summary', async () => {
    const dir = join(root, 'run');
    const r = await run('train', ...tiny, '--steps-per-run', '4', '--out', dir, '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const summary = JSON.parse(r.out[r.out.length - 1]);
    for (const key of ['testElbo', 'testNll', 'nllK', 'activeUnits', 'secPerEpoch', 'msPerStep']) expect(summary, key).toHaveProperty(key);
    expect(summary.steps).toBe(12);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).train.stepsPerRun).toBe(4);
    expect(summary.nllK).toBe(10);
    expect(summary.testNll).toBeGreaterThan(0);
    expect(summary.testNll).toBeLessThanOrEqual(-summary.testElbo + 5);
    for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'checkpoints/final/checkpoint.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);

    const ev = await run('eval', dir, '--eval-k', '10', '--eval-n', '50', '--json');
    expect(ev.code, ev.err.join('\n')).toBe(0);
    const e = JSON.parse(ev.out[ev.out.length - 1]);
    expect(e.testElbo).toBeCloseTo(summary.testElbo, 4);
    expect(e.testNll).toBeCloseTo(summary.testNll, 4);
    expect(e.activeUnits).toBe(summary.activeUnits);
    for (const key of [
      'elbo',
      'elboSe',
      'reconstruction',
      'kl',
      'nll',
      'nllSe',
      'nllK',
      'n',
      'activeUnits',
      'activeUnitsPerLayer',
      'varianceLaw',
      'surgery',
      'aggregateMoments',
      'collapse',
      'pca',
    ])
      expect(e, key).toHaveProperty(key);
    expect(e.varianceLaw.varMu).toHaveLength(3);
    expect(e.surgery.n).toBe(300);
    expect(e.surgery.mutualInformation).toBeLessThanOrEqual(e.surgery.logN);
    expect(e.surgery.avgKl).toBeCloseTo(e.surgery.mutualInformation + e.surgery.marginalKl, 6);
    expect(e.pca.reconstructionMse).toBeGreaterThan(0);

    const png = join(root, 's.png');
    expect((await run('sample', dir, '--n', '9', '--mode', 'mean', '--out', png)).code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const alpha = await run('sample', dir, '--mode', 'alpha', '--out', png);
    expect(alpha.code).toBe(1);
    expect(alpha.err[0]).toMatch(/Gaussian decoder/);

    const csv = join(root, 'z.csv');
    expect((await run('encode', dir, '--out', csv, '--eval-n', '7')).code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('index,label,mu_0,mu_1,mu_2,sigma_0,sigma_1,sigma_2');
    expect(rows).toHaveLength(8);

    const onnxDir = join(root, 'onnx');
    const ex = await run('export', dir, '--out', onnxDir, '--batch', '2');
    expect(ex.code, ex.err.join('\n')).toBe(0);
    expect(ex.out[0]).toMatch(/encoder\.onnx \(x -> mu, sigma\) and .*decoder\.onnx \(z -> mean\), batch 2/);
    for (const f of ['encoder.onnx', 'decoder.onnx']) expect(existsSync(join(onnxDir, f)), f).toBe(true);
  });

  it('reports a planted TypeError as a bug (message, stack, exit 2), even when its message reads like a user error', async () => {
    const err: string[] = [];
    const planted = new TypeError('x is not a run directory: ENOENT');
    const code = await main(['train', '--help'], {
      out: () => {
        throw planted;
      },
      err: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/internal error.*TypeError: x is not a run directory: ENOENT\n\s+at /s);
  });

  it('reports a UserError as one paragraph with exit 1', async () => {
    const err: string[] = [];
    const code = await main(['train', '--help'], {
      out: () => {
        throw new UserError('bad\nthing');
      },
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err).toEqual(['vaelab: bad thing']);
  });

  it('reports a missing run directory as a user error', async () => {
    const r = await run('eval', join(root, 'nope'));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/not a run directory/);
  });
});
