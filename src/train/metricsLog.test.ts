import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetrics, repairMetrics } from './metricsLog.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-metrics-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const line = (kind: string, step: number) => JSON.stringify({ kind, step, epoch: step / 10, elbo: -step, time: 0 });

describe('metrics.jsonl', () => {
  it('reads past a bad line, reporting its number', () => {
    writeFileSync(join(root, 'metrics.jsonl'), [line('train', 10), 'garbage', line('validation', 10), '{"kind":"tr'].join('\n'));
    const bad: number[] = [];
    expect(readMetrics(root, (n) => bad.push(n)).map((r) => r.step)).toEqual([10, 10]);
    expect(bad).toEqual([2, 4]);
  });

  it('repairs for a resume at step 20: drops the truncated line and the steps after 20, keeps the rest byte for byte', () => {
    const kept = [line('train', 10), line('validation', 10), line('train', 20), line('validation', 20)];
    writeFileSync(join(root, 'metrics.jsonl'), [...kept, line('train', 30), '{"kind":"train","st'].join('\n'));
    expect(repairMetrics(root, 20)).toEqual({ badLines: 1, laterSteps: 1 });
    expect(readFileSync(join(root, 'metrics.jsonl'), 'utf8')).toBe(kept.join('\n') + '\n');
    expect(repairMetrics(root, 20)).toEqual({ badLines: 0, laterSteps: 0 });
  });
});
