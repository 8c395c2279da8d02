import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweepJob } from './job.js';
import { sweepRunDir, writePlan } from './layout.js';
import { writeSweepReport } from './page.js';
import { expandSweep, parseSweepSpec } from './spec.js';
import { TINY_FLAGS } from './testing/tiny.js';
import { formatTable, listSweeps, sweepTable, sweepView } from './view.js';

describe('the sweep report', () => {
  it('tables every run and draws the latent-size figures from finished runs', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'vaelab-page-'));
    const plan = expandSweep(parseSweepSpec({ name: 'p', base: { ...TINY_FLAGS, maxSteps: 40 }, grid: { latent: [2, 3, 4] } }));
    writePlan(runsDir, plan);
    for (const r of plan.runs.slice(0, 2)) await runSweepJob({ sweep: 'p', run: r.name, flags: r.flags }, runsDir);

    const view = sweepView(runsDir, 'p');
    expect(view.rows.map((r) => r.state)).toEqual(['done', 'done', 'pending']);
    // Seed 002: the average KL is the mutual information plus the marginal KL (Monte Carlo, one draw per example).
    for (const r of view.rows.slice(0, 2)) {
      expect(r.surgery!.avgKl).toBeCloseTo(r.summary!.testKl!, 1);
      expect(r.surgery!.mutualInformation).toBeGreaterThan(0);
      expect(r.surgery!.mutualInformation).toBeLessThanOrEqual(Math.log(100) + 1e-9);
    }
    expect(view.charts.map((c) => c.file)).toEqual([
      'activeUnits-vs-latent.svg',
      'testKl-vs-latent.svg',
      'testElbo-vs-latent.svg',
      'elbo-surgery-vs-latent.svg',
    ]);
    expect(listSweeps(runsDir)).toMatchObject([{ name: 'p', runs: 3, done: 2 }]);

    const lines = formatTable(sweepTable(plan.varied, view.rows), 2);
    expect(lines[0]).toMatch(/^latent\s+state\s+steps\s+test ELBO/);
    expect(lines[3]).toMatch(/^4\s+pending\s+0\s+-/);
    const index = await writeSweepReport(runsDir, 'p');
    const html = readFileSync(index, 'utf8');
    expect(html).toContain('2 of 3 runs done');
    expect(html).toContain(`<td>latent-2</td><td>2</td><td>done</td><td class="num">40</td>`);
    for (const c of view.charts) expect(readFileSync(join(runsDir, 'p', 'report', c.file), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(sweepRunDir(runsDir, 'p', 'latent-2'), 'surgery.json'))).toBe(true);
    // MNIST has no ground-truth factors: no disentanglement scores, and no columns for them
    expect(readFileSync(join(sweepRunDir(runsDir, 'p', 'latent-2'), 'disentanglement.json'), 'utf8')).toBe('null\n');
    expect(view.rows[0].disentanglement).toBeNull();
    expect(lines[0]).not.toMatch(/MIG/);
  }, 120_000);
});
