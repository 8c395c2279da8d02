/** `vaelab reproduce --queue`: the experiment's runs go through a real redis-server to a worker, then the report is written. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../sweep/queue.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../sweep/testing/redis.js';
import { findExperiment } from './registry.js';
import { reproduce } from './runner.js';

describe.skipIf(!REDIS_SERVER)('reproduce through a BullMQ queue on a real redis-server', () => {
  let redis: TestRedis;
  const runsDir = mkdtempSync(join(tmpdir(), 'vaelab-reproduce-queue-'));
  beforeAll(async () => void (redis = await startRedis()), 30_000);
  afterAll(async () => {
    await redis?.stop();
    rmSync(runsDir, { recursive: true, force: true });
  });

  it('enqueues the runs, waits for the worker, and reports seed beside vaelab', async () => {
    const worker = await startWorker(redis.url, runsDir, { threads: 1 });
    try {
      const lines: string[] = [];
      const r = await reproduce(findExperiment('elbo-surgery'), { budget: 'smoke', runsDir, queue: redis.url, log: (l) => lines.push(l) });
      expect(lines.join('\n')).toMatch(/3 runs enqueued/);
      expect(lines).toContain('reproduce-elbo-surgery-smoke: 3 done, 0 failed of 3');
      expect(r.rows.filter((x) => x.vaelab !== null)).toHaveLength(r.rows.length);
      expect(readFileSync(r.report, 'utf8')).toContain('<td class="num">-129.6</td>');
    } finally {
      await worker.close();
    }
  });
});
