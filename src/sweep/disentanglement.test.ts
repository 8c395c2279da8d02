import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweepJob } from './job.js';
import { writePlan } from './layout.js';
import { expandSweep, parseSweepSpec } from './spec.js';
import { TINY_FLAGS } from './testing/tiny.js';
import { sweepTable, sweepView } from './view.js';

// About 20 s on 2 shared cores: left out of the quick loop.
describe.skipIf(process.env.VAELAB_QUICK)('a β sweep on dSprites', () => {
  it('scores each run’s disentanglement and draws the scores against β', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'vaelab-sweep-dis-'));
    const base = { ...TINY_FLAGS, dataset: 'dsprites', trainN: 500, test: 100, latent: 4, maxSteps: 30, checkpointEvery: 30, evalN: 50 };
    const plan = expandSweep(parseSweepSpec({ name: 'b', base, grid: { beta: [1, 4] } }));
    writePlan(runsDir, plan);
    for (const r of plan.runs) await runSweepJob({ sweep: 'b', run: r.name, flags: r.flags }, runsDir, { disentanglementPoints: 200 });

    const view = sweepView(runsDir, 'b');
    for (const r of view.rows) {
      const d = r.disentanglement!;
      expect(d.points).toBe(200);
      for (const v of [d.betaVae, d.factorVae, d.mig, d.dciDisentanglement]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    const files = view.charts.map((c) => c.file);
    expect(files).toEqual([
      'testReconstruction-vs-beta.svg',
      'testKl-vs-beta.svg',
      'betaVaeScore-vs-beta.svg',
      'factorVaeScore-vs-beta.svg',
      'mig-vs-beta.svg',
      'dciDisentanglement-vs-beta.svg',
    ]);
    // the MIG figure draws each run's measured MIG at its β
    const mig = view.charts.find((c) => c.file === 'mig-vs-beta.svg')!.spec as {
      data: { values: Array<{ x: number; y: number; run: string }> };
    };
    expect(mig.data.values.map((v) => [v.x, v.y])).toEqual(view.rows.map((r) => [r.flags.beta, r.disentanglement!.mig]));
    const [head, ...body] = sweepTable(plan.varied, view.rows);
    expect(head.slice(-4)).toEqual(['β-VAE score', 'FactorVAE score', 'MIG', 'DCI disentanglement']);
    expect(body[1].at(-2)).toBe(view.rows[1].disentanglement!.mig!.toFixed(3));
  }, 180_000);
});
