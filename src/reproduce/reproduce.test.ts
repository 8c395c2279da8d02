/**
 * `vaelab reproduce`: the seed-vs-vaelab verdicts on known inputs, every experiment's sweep valid at
 * every budget, and every experiment run end to end at the smoke budget with a report that holds the
 * seed's numbers beside vaelab's. The four costliest smoke runs (disentanglement baselines, PCA fits,
 * M2's classification, PixelVAE) are skipped by `npm run test:quick`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing.js';
import { createDashboard } from '../web/server.js';
import { compareOne } from './compare.js';
import { BUDGETS, type Comparison } from './experiment.js';
import { listReproductions } from './listing.js';
import { formatNumber } from './page.js';
import { EXPERIMENTS, findExperiment } from './registry.js';
import { reproduce, reproductionPlan } from './runner.js';

describe('compareOne', () => {
  const c: Comparison = {
    quantity: 'NLL',
    key: 'a.nll',
    seed: 86.76,
    source: 'seed 002',
    tolerance: { reduced: 5 },
    why: 'short training',
  };
  it('is within the tolerance of the budget, outside beyond it with the reason, and expects nothing where the budget sets none', () => {
    expect(compareOne(c, { 'a.nll': 90 }, 'reduced')).toMatchObject({ verdict: 'within', why: null, tolerance: 5 });
    expect(compareOne(c, { 'a.nll': 90 }, 'reduced').distance).toBeCloseTo(3.24, 10);
    expect(compareOne(c, { 'a.nll': 95 }, 'reduced')).toMatchObject({ verdict: 'outside', why: 'short training' });
    expect(compareOne(c, { 'a.nll': 95 }, 'smoke')).toMatchObject({ verdict: 'not expected at this budget', tolerance: null });
    expect(compareOne(c, {}, 'reduced')).toMatchObject({ verdict: 'not measured', vaelab: null });
  });
  it('reads a reference computed by vaelab and judges claims only at the budgets that expect them', () => {
    const ref: Comparison = {
      quantity: 'ELBO',
      key: 'v.elbo',
      seedKey: 'v.ppca',
      source: 'closed form',
      tolerance: { reduced: 0.5 },
      why: 'w',
    };
    expect(compareOne(ref, { 'v.elbo': -10.2, 'v.ppca': -10 }, 'reduced')).toMatchObject({ seed: -10, verdict: 'within' });
    const claim: Comparison = { quantity: 'AU', key: 'a.au', source: 's', claim: { text: 'below d', holds: (v) => v < 32 }, why: 'w' };
    expect(compareOne(claim, { 'a.au': 40 }, 'reduced')).toMatchObject({ verdict: 'does not hold', why: 'w', claim: 'below d' });
    expect(compareOne(claim, { 'a.au': 40 }, 'smoke').verdict).toBe('not expected at this budget');
    expect(compareOne(claim, { 'a.au': 20 }, 'smoke').verdict).toBe('holds');
  });
});

describe('experiments', () => {
  it('are the 13 of issue #19, each with comparisons whose sources name a seed or paper', () => {
    expect(EXPERIMENTS.map((e) => e.name)).toEqual([
      'variance-law',
      'ae-vs-vae',
      'iwae-table',
      'elbo-surgery',
      'priors',
      'annealing-free-bits',
      'disentanglement',
      'overpruning',
      'simple-vae',
      'collapse',
      'ppca',
      'semi-supervised',
      'compression',
    ]);
    for (const e of EXPERIMENTS) {
      expect(e.comparisons.length).toBeGreaterThan(0);
      for (const c of e.comparisons) {
        expect(c.seed !== undefined || c.seedKey !== undefined || c.claim !== undefined, `${e.name}: ${c.quantity}`).toBe(true);
        expect(c.source).toMatch(/seed 00\d|et al\./);
      }
    }
  });
  it('expand to valid sweeps at every budget, and every comparison reads a run of the sweep or an experiment-wide value', () => {
    for (const e of EXPERIMENTS) {
      for (const budget of BUDGETS) {
        const plan = reproductionPlan(e, budget);
        expect(plan.name).toBe(`reproduce-${e.name}-${budget}`);
        const runs = new Set(plan.runs.map((r) => r.name));
        for (const c of e.comparisons) {
          const run = c.key.slice(0, c.key.lastIndexOf('.'));
          if (!runs.has(run)) expect(e.measure, `${e.name}: ${c.key}`).toBeDefined();
        }
        for (const f of e.figures) if (f.run) expect(runs.has(f.run), `${e.name}: figure of ${f.run}`).toBe(true);
      }
    }
  });
  it('refuses an unknown name by listing the known ones', () => {
    expect(() => findExperiment('iwae')).toThrow(/unknown experiment "iwae": expected one of variance-law, ae-vs-vae/);
  });
});

describe('vaelab reproduce at the smoke budget', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'vaelab-reproduce-'));
  afterAll(() => rmSync(runsDir, { recursive: true, force: true }));
  const SLOW = new Set(['disentanglement', 'simple-vae', 'semi-supervised', 'collapse']);

  /** Runs `name` at the smoke budget and checks its report: each seed number beside vaelab's, the budget stated. */
  async function smoke(name: string): Promise<void> {
    const e = findExperiment(name);
    const r = await reproduce(e, { budget: 'smoke', runsDir, inProcess: true, threads: 1 });
    expect(r.rows).toHaveLength(e.comparisons.length);
    const measured = r.rows.filter((x) => x.vaelab !== null);
    expect(measured.length, `${name}: measured rows`).toBeGreaterThanOrEqual(Math.ceil(r.rows.length / 2));
    const html = readFileSync(r.report, 'utf8');
    expect(html).toContain('Budget: smoke.');
    for (const row of r.rows) {
      const tr = html
        .split('<tr>')
        .find((t) => t.startsWith(`<td>${row.quantity.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;')}</td>`));
      expect(tr, `${name}: row ${row.quantity}`).toBeDefined();
      if (row.seed !== null) expect(tr).toContain(formatNumber(row.seed));
      expect(tr).toContain(`<td class="num">${formatNumber(row.vaelab)}</td>`);
    }
    for (const f of e.figures.filter((x) => x.run)) {
      const run = e.runs('smoke').find((x) => x.name === f.run)!;
      if (run.flags.report) expect(html).toContain(`runs/${f.run}/report/`);
    }
    expect(existsSync(join(runsDir, r.sweep, 'sweep.json'))).toBe(true);
  }

  for (const e of EXPERIMENTS.filter((x) => !SLOW.has(x.name))) it(e.name, () => smoke(e.name));
  describe.skipIf(process.env.VAELAB_QUICK)('(slow)', () => {
    for (const name of SLOW) it(name, () => smoke(name), 600_000);
  });

  it('lists the reproductions written, and the CLI prints the table and names the report', async () => {
    const listed = listReproductions(runsDir).map((l) => l.experiment);
    expect(listed).toContain('variance-law');
    const list = await runCli('reproduce', '--list');
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toMatch(/iwae-table\s+002\s+10\s+test NLL and active units/);
    const r = await runCli('reproduce', 'elbo-surgery', '--budget', 'smoke', '--runs-dir', runsDir, '--concurrency', '1');
    expect(r.err.join('\n')).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/2-D: average KL \(nats\)\s+7\.41\s+\S+/);
    expect(r.out.at(-1)).toMatch(/^report: .*reproduce-elbo-surgery-smoke\/reproduction\/index\.html$/);
    const dashboard = createDashboard({ root: runsDir });
    try {
      const index = await (await dashboard.app.fetch(new Request('http://localhost/reproduce'))).text();
      expect(index).toContain('href="/reproduce/reproduce-elbo-surgery-smoke/reproduction/index.html"');
      const page = await dashboard.app.fetch(
        new Request('http://localhost/reproduce/reproduce-elbo-surgery-smoke/reproduction/index.html'),
      );
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('seed 002, ELBO-surgery table');
      expect(
        (await dashboard.app.fetch(new Request('http://localhost/reproduce/reproduce-elbo-surgery-smoke/../../etc/passwd'))).status,
      ).toBe(404);
    } finally {
      await dashboard.close();
    }
    const bad = await runCli('reproduce', 'elbo-surgery', '--budget', 'huge');
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/--budget: expected smoke, reduced, paper/);
  });
});
