/**
 * Every bad input gets a message (exit 1, one paragraph naming the file, position or flag), never a
 * stack or a silent wrong answer: the real `vaelab` command in a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../engine/checkpoint.js';
import { BIN, ensureBuilt, runVaelab } from './testing/binary.js';
import { expectUserError } from './testing/expectations.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-badinput-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY = [
  '--train-n',
  '300',
  '--batch',
  '30',
  '--max-steps',
  '10',
  '--latent',
  '2',
  '--hidden',
  '8',
  '--validation',
  '100',
  '--eval-n',
  '50',
  '--eval-k',
  '5',
  '--threads',
  '1',
  '--no-report',
  '--quiet',
];
const vaelab = (...args: string[]) => runVaelab(args, root);

/** A copy of the trained run `run` under a new name. */
function copyRun(name: string): string {
  const dir = join(root, name);
  spawnSync('cp', ['-r', join(root, 'run'), dir]);
  return dir;
}

describe('bad inputs', () => {
  beforeAll(async () => {
    ensureBuilt();
    const r = await vaelab('train', ...TINY, '--out', 'run');
    expect(r.code, r.stderr).toBe(0);
  });

  it('names the file and the position of a config.json, summary.json that does not parse; skips and reports a bad metrics line', async () => {
    const dir = copyRun('broken');
    const config = readFileSync(join(dir, 'config.json'), 'utf8');
    writeFileSync(join(dir, 'config.json'), config.slice(0, 200));
    expectUserError(await vaelab('eval', 'broken'), /broken\/config\.json \(line \d+, column \d+\): not valid JSON/);
    writeFileSync(join(dir, 'config.json'), config);
    const summary = readFileSync(join(dir, 'summary.json'), 'utf8');
    writeFileSync(join(dir, 'summary.json'), '{"runDir": "x",\n  "steps": 10x\n}');
    expectUserError(await vaelab('report', 'broken'), /broken\/summary\.json \(line 2, column 14\): not valid JSON/);
    writeFileSync(join(dir, 'summary.json'), '{}');
    expectUserError(await vaelab('report', 'broken'), /broken\/summary\.json: expected a run summary/);
    writeFileSync(join(dir, 'summary.json'), summary);
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    writeFileSync(join(dir, 'metrics.jsonl'), metrics + '{"kind":"tr');
    const r = await vaelab('report', 'broken');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`metrics.jsonl line ${metrics.split('\n').length} is not a complete record; skipped`);
  });

  it('validates an edited config.json on load like flags', async () => {
    const dir = copyRun('edited');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, eval: { ...config.eval, n: 'abc', k: -5 } }));
    expectUserError(await vaelab('eval', 'edited'), /edited\/config\.json: invalid eval config: eval\.k: .*; eval\.n: .*expected number/);
  });

  it.each([
    [['--latent', '1e9'], /--latent \(model\.latent\): at most 4096, got 1000000000/],
    [['--steps-per-run', '1e9'], /--steps-per-run \(train\.stepsPerRun\): at most 1000/],
  ])('refuses the size %j with its limit before writing anything (the other sizes: train/limits.test.ts)', async (flags, pattern) => {
    expectUserError(await vaelab('train', ...TINY, ...flags, '--out', 'huge'), pattern);
    expect(existsSync(join(root, 'huge'))).toBe(false);
  });

  it('caps sample --n', async () => {
    expectUserError(await vaelab('sample', 'run', '--n', '100000', '--out', 's.png'), /--n.*at most 10000/);
  });

  it('explains an --out that cannot be created or is the wrong kind of thing', async () => {
    writeFileSync(join(root, 'afile'), 'x');
    mkdirSync(join(root, 'adir'));
    expectUserError(
      await runVaelab(['train', ...TINY, '--out', '/proc/vaelab-x'], root, 30_000),
      /cannot create run directory \/proc\/vaelab-x: the file system at \/proc does not allow new folders/,
    );
    expectUserError(
      await vaelab('train', ...TINY, '--out', '/sys/vaelab-x'),
      /cannot create run directory \/sys\/vaelab-x: operation not permitted/,
    );
    expectUserError(await vaelab('train', ...TINY, '--out', 'afile'), /afile exists and is not a folder/);
    expectUserError(await vaelab('train', ...TINY, '--out', 'afile/run'), /afile\/run: a part of the path is a file/);
    expectUserError(await vaelab('sample', 'run', '--out', 'adir'), /--out adir is a folder; name a file/);
    expectUserError(await vaelab('encode', 'run', '--out', 'afile/z.csv'), /afile\/z\.csv: a part of the path is a file, not a folder/);
    expectUserError(await vaelab('export', 'run', '--out', 'afile'), /--out afile is a file; name a folder/);
  });

  it('exits quietly when the reader of its output goes away (EPIPE)', () => {
    const r = spawnSync('bash', ['-c', `node ${BIN} train --help | true; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('status 0');
  });

  it('refuses options that do nothing for the model, and warns about --k without the IWAE bound', async () => {
    expectUserError(
      await vaelab('train', ...TINY, '--model', 'ae', '--k', '5', '--out', 'ae1'),
      /--k \(objective\.k\): the deterministic autoencoder/,
    );
    expectUserError(
      await vaelab('train', ...TINY, '--model', 'ae', '--free-bits', '0.5', '--out', 'ae2'),
      /--free-bits \(objective\.freeBits\.lambda\): model 'ae' has no KL/,
    );
    const r = await vaelab('train', ...TINY, '--no-eval', '--model', 'vae', '--k', '2', '--out', 'vaek');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: --k 2 with the 'elbo' objective averages the ELBO over 2 samples/);
  });

  it('checks hold-out sizes and the test part of a user file before training, naming the flag', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${(i % 10) / 10},${(i % 7) / 7},${(i % 3) / 3}`).join('\n');
    writeFileSync(join(root, 'small.csv'), rows + '\n');
    expectUserError(
      await vaelab('train', '--dataset', 'small.csv', '--validation', '1000', '--quiet', '--out', 'small1'),
      /--validation \(train\.validation\): .*small\.csv has 500 examples/,
    );
    expectUserError(
      await vaelab('train', '--dataset', 'small.csv', '--validation', '100', '--quiet', '--out', 'small2'),
      /has no test part: .*--test N/,
    );
    expect(existsSync(join(root, 'small2'))).toBe(false);
  });

  it('reports data that overflow float32 as a data error naming the file and position', async () => {
    writeFileSync(join(root, 'big.csv'), '0.5,0.5\n1e39,0.5\n');
    expectUserError(
      await vaelab('train', '--dataset', 'big.csv', '--quiet', '--out', 'big'),
      /big\.csv \(line 2, column 1\): 1e39 overflows float32/,
    );
  });

  it('reports a non-finite evaluation as an error naming the term, and divergence without claiming a checkpoint', async () => {
    const dir = copyRun('nan');
    const final = join(dir, 'checkpoints', 'final');
    const ck = await loadCheckpoint(final);
    for (const t of Object.values(ck.groups.model)) t.data.fill(Number.NaN);
    await saveCheckpoint(final, ck);
    expectUserError(await vaelab('eval', 'nan', '--eval-k', '5'), /gave a test reconstruction of NaN/);

    expectUserError(
      await vaelab('train', ...TINY, '--lr', '1e6', '--out', 'diverged'),
      /training diverged at step \d+: (reconstruction|kl|parameter \S+) is (NaN|-?Infinity).*no checkpoint was written/,
    );
  });
});
