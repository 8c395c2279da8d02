import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../train/experiment.js';
import { writeReport } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-report-generation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Trains an MNIST classifier for one epoch (600 steps): ~10-30 s on the shared 2-core machine.
describe.skipIf(process.env.VAELAB_QUICK)('report: generation quality section', () => {
  it('shows a grid per sampler with its Fréchet distance, precision and recall', async () => {
    const dir = join(root, 'ae');
    await runExperiment(
      {
        model: { kind: 'ae', latent: 4, hidden: [32] },
        train: { dataset: 'mnist', binarize: 'dynamic', trainN: 600, batch: 50, maxSteps: 30, validation: 100, threads: 1 },
        eval: { enabled: false },
      },
      { out: dir },
    );
    const r = await writeReport(dir, {
      n: 200,
      threads: 1,
      generation: { n: 150, samplers: ['prior', 'aggregate', 'gmm'], components: 3, classifierEpochs: 1, cacheRoot: root },
    });
    for (const f of ['generation-prior.png', 'generation-aggregate.png', 'generation-gmm.png']) {
      expect(r.files, f).toContain(f);
      expect(existsSync(join(r.dir, f)), f).toBe(true);
    }
    const html = readFileSync(r.index, 'utf8');
    expect(html).toMatch(/Generation quality/);
    expect(html).toMatch(/penultimate units of an MLP classifier trained on mnist&#39;s labels \(test accuracy \d+\.\d+%\)/);
    const rows = [...html.matchAll(/<tr><td>(prior|aggregate|gmm)<\/td><td class="num">(\d+\.\d+)<\/td>/g)];
    expect(rows.map((m) => m[1])).toEqual(['prior', 'aggregate', 'gmm']);
    expect(html).toMatch(/Sampler prior\.<\/b> z ~ N\(0, I\) \(the AE has no prior/);
    expect(existsSync(join(dir, 'samplers', 'gmm-3-full-600-0.json'))).toBe(true);
  });
});
