/**
 * Kill a real `vaelab train` process (SIGKILL, SIGINT and SIGTERM, at random moments), resume it, and check
 * that it ends exactly where an uninterrupted run ends: bit-identical parameters and optimizer state,
 * the same metrics.jsonl (each step once, no broken line), the same test numbers, a complete summary.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../engine/checkpoint.js';
import { readMetrics } from '../train/metricsLog.js';
import { ensureBuilt, finished, runVaelab, spawnVaelab, type VaelabResult } from './testing/binary.js';

// Made in beforeAll (not at load), so that a skipped run leaves no folder behind.
let root = '';

// 400 steps of a small MLP VAE (about 1 s of training after about 1.5 s of start-up on the 2-core
// machine), validation every 10 steps (so `best` is often newer than `latest`), a checkpoint every 15.
const FLAGS = [
  '--train-n',
  '500',
  '--batch',
  '50',
  '--epochs',
  '40',
  '--latent',
  '4',
  '--hidden',
  '64',
  '--validation',
  '100',
  '--checkpoint-every',
  '15',
  '--eval-n',
  '100',
  '--eval-k',
  '20',
  '--threads',
  '1',
  '--seed',
  '3',
  '--no-report',
  '--quiet',
  '--json',
];

const lastJson = (r: VaelabResult): Record<string, unknown> => JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
const strip = (dir: string) => readMetrics(dir, () => expect.fail(`${dir}: bad metrics line`)).map(({ time: _, ...rest }) => rest);

/** Runs to completion after an interruption: resume, or start again when the run died before its first checkpoint. */
async function complete(dir: string, history: string[]): Promise<VaelabResult> {
  const resumed = await runVaelab(['train', '--resume', dir, '--quiet', '--json'], root);
  history.push(`resume: exit ${resumed.code} ${resumed.stderr.trim()}`);
  if (resumed.code === 1 && /has no checkpoint|is not a run directory/.test(resumed.stderr)) {
    const again = await runVaelab(['train', ...FLAGS, '--out', dir, '--overwrite'], root);
    history.push(`start again: exit ${again.code} ${again.stderr.trim()}`);
    return again;
  }
  return resumed;
}

// About 10 s of CPU in all (several processes each): skipped in the quick loop (VAELAB_QUICK=1).
describe.skipIf(process.env.VAELAB_QUICK)('crash and resume of a real training process', () => {
  let reference: Record<string, unknown>;
  let wallMs = 0;
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vaelab-crash-'));
    ensureBuilt();
    const t0 = performance.now();
    const r = await runVaelab(['train', ...FLAGS, '--out', 'reference'], root);
    wallMs = performance.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    reference = lastJson(r);
  });

  it.each([
    ['SIGKILL', 1],
    ['SIGKILL', 2],
    ['SIGINT', 1],
    ['SIGTERM', 1],
  ] as const)('%s at a random moment (trial %i) ends bit-identical to an uninterrupted run', async (sig, trial) => {
    const dir = `${sig}-${trial}`;
    // Uniform over the uninterrupted run's wall time (measured, so it follows the machine's load):
    // start-up, training, checkpoint writes, the final evaluation.
    const delay = (0.15 + 0.85 * Math.random()) * wallMs;
    const history = [`${sig} after ${delay.toFixed(0)} ms`];
    const child = spawnVaelab(['train', ...FLAGS, '--out', dir], root);
    const done = finished(child);
    setTimeout(() => child.kill(sig), delay);
    const first = await done;
    history.push(`first: exit ${first.code} signal ${first.signal} ${first.stderr.trim()}`);
    if (sig !== 'SIGKILL' && first.code === { SIGINT: 130, SIGTERM: 143 }[sig]) {
      // Caught: a checkpoint was written and the message says how to continue.
      expect(first.stderr, history.join('\n')).toMatch(
        new RegExp(`${sig}: (stopped at step \\d+; checkpoint written|stopping at once; the trained model is saved)`),
      );
      expect(first.stderr).toContain(`vaelab train --resume ${dir}`);
    }
    const last = first.code === 0 ? first : await complete(dir, history);
    expect(last.code, history.join('\n')).toBe(0);

    const summary = lastJson(last);
    for (const key of ['steps', 'trainElbo', 'testElbo', 'testNll', 'activeUnits', 'bestValidationElbo'])
      expect(summary[key], `${key}\n${history.join('\n')}`).toEqual(reference[key]);
    for (const key of ['secPerEpoch', 'msPerStep']) expect(summary[key], key).toBeGreaterThan(0);

    const [a, b] = await Promise.all([
      loadCheckpoint(join(root, 'reference', 'checkpoints', 'final')),
      loadCheckpoint(join(root, dir, 'checkpoints', 'final')),
    ]);
    expect(b.step).toBe(a.step);
    for (const group of ['model', 'optimizer']) {
      for (const [name, t] of Object.entries(a.groups[group])) {
        expect(
          Buffer.from(b.groups[group][name].data.buffer).equals(Buffer.from(t.data.buffer)),
          `${group}/${name}\n${history.join('\n')}`,
        ).toBe(true);
      }
    }
    expect(strip(join(root, dir)), history.join('\n')).toEqual(strip(join(root, 'reference')));
    expect(readFileSync(join(root, dir, 'metrics.jsonl'), 'utf8').endsWith('}\n')).toBe(true);
    expect(existsSync(join(root, dir, 'run.lock')), 'the lock is released').toBe(false);
    for (const name of ['latest', 'final']) {
      expect(
        readdirSync(join(root, dir, 'checkpoints', name)).filter((f) => f.includes('.tmp-')),
        'no temporary leftovers',
      ).toEqual([]);
    }
  });
});
