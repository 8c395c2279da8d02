import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepRunDir, writePlan } from '../sweep/layout.js';
import { expandSweep, parseSweepSpec } from '../sweep/spec.js';
import { TINY_FLAGS } from '../sweep/testing/tiny.js';
import { createDashboard } from './server.js';
import type { SweepDetail, SweepSummary } from './sweeps.js';

const base = mkdtempSync(join(tmpdir(), 'vaelab-serve-sweeps-'));
const root = join(base, 'runs');
afterAll(() => rmSync(base, { recursive: true, force: true }));

// A sweep over the latent size with one run finished (its summary), one started (config only) and one not yet begun.
const plan = expandSweep(parseSweepSpec({ name: 'over', description: 'latent sizes', base: TINY_FLAGS, grid: { latent: [2, 4, 8] } }));
writePlan(root, plan);
const [first, second] = plan.runs.map((r) => sweepRunDir(root, plan.name, r.name));
mkdirSync(join(first, 'checkpoints', 'final'), { recursive: true });
writeFileSync(
  join(first, 'config.json'),
  JSON.stringify({ model: { kind: 'vae', latent: 2 }, objective: { kind: 'elbo' }, train: { dataset: 'mnist' } }),
);
writeFileSync(
  join(first, 'summary.json'),
  JSON.stringify({
    steps: 80,
    stopped: 'max-steps',
    testElbo: -180.5,
    testReconstruction: -170.25,
    testKl: 10.25,
    testNll: 175,
    nllK: 5,
    activeUnits: 2,
  }),
);
mkdirSync(second, { recursive: true });
writeFileSync(join(second, 'config.json'), JSON.stringify({ model: { kind: 'vae', latent: 4 } }));
writeFileSync(join(base, 'secret.txt'), 'outside');
mkdirSync(join(root, 'torn'), { recursive: true });
writeFileSync(join(root, 'torn', 'sweep.json'), '{"name": "torn", "runs": [');

const { app, close } = createDashboard({ root });
afterAll(() => close());
const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const r = await app.request(path);
  return { status: r.status, body: (await r.json()) as T };
};

describe('the dashboard sweep endpoints', () => {
  it('lists the sweeps with how many runs are done', async () => {
    const { body } = await get<{ sweeps: SweepSummary[] }>('/api/sweeps');
    expect(body.sweeps[0]).toEqual({ name: 'over', description: 'latent sizes', runs: 3, done: 1, report: join('report', 'index.html') });
    // a sweep.json cut short is listed with its problem, and its view answers with it instead of failing
    expect(body.sweeps[1]).toMatchObject({ name: 'torn', runs: 0, problem: expect.stringMatching(/^sweep\.json cannot be read: /) });
    const torn = await get<{ error: string }>('/api/sweeps/torn');
    expect(torn.status).toBe(422);
    expect(torn.body.error).toMatch(/^sweep torn: sweep\.json cannot be read/);
  });

  it("shows a sweep: its table, each run's state and id, the cross-run figures of the finished runs", async () => {
    const { status, body } = await get<SweepDetail>('/api/sweeps/over');
    expect(status).toBe(200);
    expect(body.plan.varied).toEqual(['latent']);
    expect(body.rows.map((r) => r.state)).toEqual(['done', 'pending', 'pending']);
    expect(body.table[0].slice(0, 4)).toEqual(['latent', 'state', 'steps', 'test ELBO']);
    expect(body.table[1].slice(0, 4)).toEqual(['2', 'done', '80', '-180.50']);
    expect(body.runIds).toEqual([`over/runs/${plan.runs[0].name}`, `over/runs/${plan.runs[1].name}`, null]);
    expect(body.charts.map((c) => c.file)).toEqual(['activeUnits-vs-latent.svg', 'testKl-vs-latent.svg', 'testElbo-vs-latent.svg']);
    const values = (body.charts[0].spec as { data: { values: Array<{ x: number; y: number }> } }).data.values;
    expect(values.map((v) => [v.x, v.y])).toEqual([[2, 2]]);
  });

  it('opens a sweep run by its id as any run, and nothing outside the runs folder', async () => {
    const id = encodeURIComponent(`over/runs/${plan.runs[0].name}`);
    const { status, body } = await get<{ row: { status: string; steps: number } }>(`/api/runs/${id}`);
    expect(status).toBe(200);
    expect(body.row).toMatchObject({ status: 'done', steps: 80 });
    expect((await app.request(`/api/runs/${id}/files/summary.json`)).status).toBe(200);
    for (const bad of ['over%2F..%2F..%2Fsecret.txt', 'over%2F%2Fruns', '%2Fetc', 'over%2F.%2Fruns'])
      expect((await app.request(`/api/runs/${bad}`)).status, bad).toBe(404);
    expect((await app.request(`/api/runs/over%2F..%2F../files/secret.txt`)).status).toBe(404);
    expect((await app.request('/api/sweeps/nope')).status).toBe(404);
    expect((await app.request('/api/sweeps/..')).status).toBe(404);
  });
});
