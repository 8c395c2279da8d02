/** The report's measurement sections: charts from the diagnostics and metrics.jsonl, tables from `vaelab eval`. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { runExperiment } from '../train/experiment.js';
import { EVALUATION_FILE } from './measurements.js';
import { writeReport } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-measurements-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// ~20 s on the shared 2-core machine: skipped in the quick loop (VAELAB_QUICK=1).
describe.skipIf(process.env.VAELAB_QUICK)('report measurement sections', () => {
  it('charts active units per layer, collapse and the latents along training; tables surgery, moments and PCA after vaelab eval', async () => {
    const dir = join(root, 'run');
    await runExperiment(
      {
        model: { kind: 'vae', hidden: [16], latent: 4 },
        train: { dataset: 'mnist', binarize: 'dynamic', trainN: 300, batch: 30, maxSteps: 30, validation: 100, threads: 1 },
        eval: { enabled: false },
      },
      { out: dir },
    );
    const before = await writeReport(dir, { n: 200, samples: 4 });
    expect(before.files).toEqual(expect.arrayContaining(['active-units.svg', 'collapse.svg', 'latent-evolution.svg']));
    let html = readFileSync(before.index, 'utf8');
    expect(html).toContain('Moments of the aggregate posterior');
    expect(html).toContain('vaelab eval RUN_DIR');
    // One bar per latent in the active-units chart, one line per latent and statistic in the evolution chart.
    const au = readFileSync(join(dir, 'report', 'active-units.svg'), 'utf8');
    expect((au.match(/<path [^>]*aria-roledescription="bar"/g) ?? []).length).toBe(4);
    const evo = readFileSync(join(dir, 'report', 'latent-evolution.svg'), 'utf8');
    expect((evo.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(8);

    const lines: string[] = [];
    const code = await main(['eval', dir, '--eval-k', '5', '--eval-n', '50', '--threads', '1', '--json'], {
      out: (l) => lines.push(l),
      err: () => {},
    });
    expect(code).toBe(0);
    expect(existsSync(join(dir, EVALUATION_FILE))).toBe(true);
    await writeReport(dir, { n: 200, samples: 4 });
    html = readFileSync(before.index, 'utf8');
    expect(html).toContain('ELBO surgery');
    expect(html).toContain('seed 002, 20D latents');
    expect(html).toContain('PCA and pPCA');
    const saved = JSON.parse(lines[lines.length - 1]);
    expect(html).toContain(saved.surgery.mutualInformation.toFixed(2));
  });
});
