import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics, runPaths } from '../train/runDir.js';
import { readAttempts, runSweepJob, type SweepJob } from './job.js';
import { sweepRunDir } from './layout.js';
import { results, TINY_FLAGS } from './testing/tiny.js';

describe('a sweep job', () => {
  it('resumes an interrupted run from its checkpoint to the numbers of an uninterrupted one, then skips it', async () => {
    const job: SweepJob = { sweep: 's', run: 'r', flags: TINY_FLAGS };
    const a = mkdtempSync(join(tmpdir(), 'vaelab-job-'));
    const first = await runSweepJob(job, a, { stopAtStep: 50 });
    expect(first.action).toBe('started');
    expect(first.summary.stopped).toBe('interrupted');
    const dir = sweepRunDir(a, 's', 'r');
    // What a worker killed after step 50's checkpoint leaves: lines of later steps and a torn last line.
    appendFileSync(runPaths(dir).metrics, JSON.stringify({ kind: 'train', step: 60, elbo: 0 }) + '\n{"kind":"tr');

    const resumed = await runSweepJob(job, a);
    expect(resumed.action).toBe('resumed');
    expect(resumed.startStep).toBe(50);
    expect(readAttempts(dir).map((r) => r.startStep)).toEqual([0, 50]);
    const steps = readMetrics(dir)
      .filter((r) => r.kind === 'train')
      .map((r) => r.step);
    expect(steps).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);

    const b = mkdtempSync(join(tmpdir(), 'vaelab-job-'));
    const straight = await runSweepJob(job, b);
    expect(straight.action).toBe('started');
    expect(results(resumed.summary)).toEqual(results(straight.summary));
    expect(resumed.summary.testNll).not.toBeNull();

    const again = await runSweepJob(job, a);
    expect(again.action).toBe('skipped');
    expect(readAttempts(dir)).toHaveLength(2);
  }, 120_000);
});
