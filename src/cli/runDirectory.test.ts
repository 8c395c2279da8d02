/**
 * Runs are never lost, overwritten or mixed up: the real `vaelab` command in a temporary folder.
 * (Interrupting a run at random moments is `crashResume.test.ts`.)
 */
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../train/metricsLog.js';
import { ensureBuilt, finished, runVaelab, spawnVaelab } from './testing/binary.js';
import { expectUserError } from './testing/expectations.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-rundir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY = [
  '--train-n',
  '300',
  '--batch',
  '30',
  '--max-steps',
  '20',
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
const lastJson = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').pop() ?? '{}');

describe('run directories', () => {
  beforeAll(async () => {
    ensureBuilt();
    const r = await vaelab('train', ...TINY, '--out', 'run', '--checkpoint-every', '10');
    expect(r.code, r.stderr).toBe(0);
  });

  it('refuses an --out that holds a run (suggesting --resume and --overwrite) and an empty --out; --overwrite replaces', async () => {
    const config = readFileSync(join(root, 'run', 'config.json'), 'utf8');
    expectUserError(
      await vaelab('train', ...TINY, '--lr', '0.01', '--out', 'run'),
      /run already holds a run.*vaelab train --resume run.*--overwrite/,
    );
    expect(readFileSync(join(root, 'run', 'config.json'), 'utf8')).toBe(config);

    // `--out ''` once wrote into the current folder, replacing a config.json there.
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'config.json'), 'mine');
    expectUserError(await runVaelab(['train', ...TINY, '--out', ''], cwd), /--out.*empty/);
    expect(readFileSync(join(cwd, 'config.json'), 'utf8')).toBe('mine');
    expectUserError(await runVaelab(['train', ...TINY, '--out', '.'], cwd), /not empty and holds no vaelab run/);

    cpSync(join(root, 'run'), join(root, 'again'), { recursive: true });
    const r = await vaelab('train', ...TINY, '--lr', '0.01', '--out', 'again', '--overwrite', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'again', 'config.json'), 'utf8')).train.lr).toBe(0.01);
  });

  it('locks a run directory: a second process fails at once, naming the pid of the first', async () => {
    const child = spawnVaelab(['train', ...TINY, '--epochs', '100000', '--max-steps', '100000', '--no-eval', '--out', 'busy'], root);
    const done = finished(child);
    const lock = join(root, 'busy', 'run.lock');
    for (let i = 0; i < 600 && !existsSync(join(root, 'busy', 'config.json')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lock)).toBe(true);
    try {
      const pid = new RegExp(`in use by another vaelab process \\(pid ${child.pid},`);
      expectUserError(await vaelab('train', ...TINY, '--out', 'busy', '--overwrite'), pid);
      expectUserError(await vaelab('train', '--resume', 'busy'), pid);
    } finally {
      child.kill('SIGKILL');
      await done;
    }
    // The holder died without releasing it: the stale lock is taken over.
    expect(existsSync(lock)).toBe(true);
    const r = await vaelab('train', '--resume', 'busy', '--max-steps', '40', '--no-eval', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('--resume refuses flags that change the run, naming them, and applies length/speed/evaluation flags', async () => {
    expectUserError(await vaelab('train', '--resume', 'run', '--lr', '10', '--latent', '4'), /refuses --lr, --latent/);
    cpSync(join(root, 'run'), join(root, 'longer'), { recursive: true });
    const r = await runVaelab(['train', '--resume', 'longer', '--max-steps', '30', '--eval-k', '3', '--json'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/resume: applying --max-steps 30, --eval-k 3/);
    const s = lastJson(r.stdout);
    expect([s.steps, s.nllK]).toEqual([30, 3]);
    const config = JSON.parse(readFileSync(join(root, 'longer', 'config.json'), 'utf8'));
    expect([config.train.maxSteps, config.eval.k]).toEqual([30, 3]);
  });

  it('repairs metrics.jsonl on resume: a truncated last line is dropped and every step is logged once', async () => {
    const dir = join(root, 'repair');
    const first = await vaelab('train', ...TINY, '--max-steps', '10', '--no-eval', '--out', 'repair');
    expect(first.code, first.stderr).toBe(0);
    // As after a crash between the checkpoint at step 10 and the next: the log goes on to step 20, its last line cut.
    const before = readMetrics(join(root, 'run'));
    const later = readFileSync(join(root, 'run', 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && JSON.parse(l).step > 10);
    appendFileSync(join(dir, 'metrics.jsonl'), later.join('\n') + '\n{"kind":"train","step":21,"epo');
    rmSync(join(dir, 'checkpoints', 'final'), { recursive: true });

    const r = await vaelab('train', '--resume', 'repair', '--max-steps', '20', '--no-eval');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dropped 1 incomplete line/);
    const after = readMetrics(dir, (line) => expect.fail(`bad line ${line}`));
    const steps = after.map((m) => `${m.kind}${m.step}`);
    expect(new Set(steps).size).toBe(steps.length);
    const strip = (ms: typeof before) => ms.map(({ time: _, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
  });

  it('falls back to the newest readable checkpoint when latest is corrupt or missing (eval and resume)', async () => {
    const dir = join(root, 'fallback');
    cpSync(join(root, 'run'), dir, { recursive: true });
    rmSync(join(dir, 'checkpoints', 'final'), { recursive: true });
    const latest = join(dir, 'checkpoints', 'latest');
    const model = readdirSync(latest).find((f) => f.startsWith('model-'))!;
    truncateSync(join(latest, model), 100);
    const ev = await vaelab('eval', 'fallback', '--eval-k', '5', '--json');
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stderr).toMatch(/skipping checkpoints\/latest: .*truncated/);
    expect(ev.stderr).toMatch(/using checkpoints\/best/);
    const r = await vaelab('train', '--resume', 'fallback', '--no-eval');
    expect(r.code, r.stderr).toBe(0);
  });

  it('a run killed while writing its first checkpoint has no checkpoint: resume says to start it again', async () => {
    const dir = join(root, 'first-save');
    cpSync(join(root, 'run'), dir, { recursive: true });
    for (const name of readdirSync(join(dir, 'checkpoints'))) rmSync(join(dir, 'checkpoints', name), { recursive: true });
    // What a SIGKILL during the first save leaves: a checkpoint folder with data files and no manifest yet.
    cpSync(join(root, 'run', 'checkpoints', 'latest'), join(dir, 'checkpoints', 'best'), { recursive: true });
    rmSync(join(dir, 'checkpoints', 'best', 'checkpoint.json'));
    const r = await vaelab('train', '--resume', 'first-save', '--no-eval');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /has no checkpoint .*the run stopped before its first one; start it again with `vaelab train --out .*--overwrite`/,
    );
  });

  it('completes the summary when a run is resumed after it was killed during the final evaluation', async () => {
    const dir = join(root, 'summary');
    cpSync(join(root, 'run'), dir, { recursive: true });
    const full = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    rmSync(join(dir, 'summary.json'));
    const r = await vaelab('train', '--resume', 'summary', '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson(r.stdout);
    for (const key of ['trainElbo', 'testElbo', 'testNll']) expect(s[key], key).toBe(full[key]);
    for (const key of ['secPerEpoch', 'msPerStep']) expect(s[key], key).toBeGreaterThan(0);
  });

  it('cleans leftover temporary and orphan files of a crashed checkpoint write on the next write', async () => {
    const dir = join(root, 'leftovers');
    cpSync(join(root, 'run'), dir, { recursive: true });
    const latest = join(dir, 'checkpoints', 'latest');
    writeFileSync(join(latest, '.model-0123456789ab.safetensors.tmp-999-abcd'), '');
    writeFileSync(join(latest, 'model-0123456789ab.safetensors'), 'orphan');
    writeFileSync(join(dir, '.config.json.tmp-999-abcd'), '');
    const r = await vaelab('train', '--resume', 'leftovers', '--max-steps', '21', '--no-eval');
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(latest).sort()).toEqual(['checkpoint.json', expect.stringMatching(/^model-/), expect.stringMatching(/^optimizer-/)]);
    expect(readdirSync(latest)).not.toContain('model-0123456789ab.safetensors');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('stores a dataset path as absolute with its hash: eval from another folder reads the same file, a changed file is refused', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const csv = (seed: number) =>
      Array.from({ length: 200 }, (_, i) =>
        Array.from({ length: 6 }, (_, j) => (((i * 7 + j * 3 + seed) % 10) / 10).toFixed(1)).join(','),
      ).join('\n') + '\n';
    writeFileSync(join(a, 'data.csv'), csv(1));
    writeFileSync(join(b, 'data.csv'), csv(5) + csv(5));
    const t = await runVaelab(
      [
        'train',
        '--dataset',
        'data.csv',
        '--test',
        '40',
        '--validation',
        '0',
        '--batch',
        '20',
        '--max-steps',
        '10',
        '--latent',
        '2',
        '--hidden',
        '8',
        '--binarize',
        'none',
        '--eval-k',
        '5',
        '--threads',
        '1',
        '--quiet',
        '--no-report',
        '--out',
        join(root, 'csvrun'),
        '--json',
      ],
      a,
    );
    expect(t.code, t.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(root, 'csvrun', 'config.json'), 'utf8'));
    expect(config.train.dataset).toBe(join(a, 'data.csv'));
    expect(config.train.datasetSha256).toMatch(/^[0-9a-f]{64}$/);
    const ev = await runVaelab(['eval', join(root, 'csvrun'), '--eval-k', '5', '--json'], b);
    expect(ev.code, ev.stderr).toBe(0);
    expect(lastJson(ev.stdout).testElbo).toBe(lastJson(t.stdout).testElbo);

    copyFileSync(join(b, 'data.csv'), join(a, 'data.csv'));
    expectUserError(await runVaelab(['eval', join(root, 'csvrun')], b), /data\.csv: the file changed since the run was trained/);
    expect(statSync(join(root, 'csvrun', 'summary.json')).size).toBeGreaterThan(0);
  });
});
