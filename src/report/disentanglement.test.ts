import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../train/experiment.js';
import type { DisentanglementScores } from '../eval/disentanglement/score.js';
import { bestFactors } from './disentanglement.js';
import { writeReport } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-dis-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report: disentanglement section', () => {
  it('labels each latent by the factor of largest I(z_j; v_k) / H(v_k)', () => {
    // z0: 0.5/log 3 for shape vs 0.6/log 32 for posX → shape (0.455 > 0.173); z1: 0.1/log 3 = 0.091 vs 1.2/log 32 = 0.346 → posX.
    const s = {
      factors: ['shape', 'posX'],
      migMatrix: {
        mi: [
          [0.5, 0.6],
          [0.1, 1.2],
        ],
        entropy: [Math.log(3), Math.log(32)],
      },
    } as unknown as DisentanglementScores;
    const b = bestFactors(s);
    expect(b.map((r) => r.factor)).toEqual(['shape', 'posX']);
    expect(b[1].normalisedMi).toBeCloseTo(1.2 / Math.log(32), 12);
  });

  it("a dSprites run gets factor-labelled traversals, the MI heat map and the metric table beside the seed's", async () => {
    const dir = join(root, 'run');
    await runExperiment(
      {
        model: { kind: 'vae', latent: 3, hidden: [16] },
        train: { dataset: 'dsprites', binarize: 'none', trainN: 256, batch: 64, maxSteps: 4, test: 200, threads: 1 },
        eval: { k: 0, n: 64 },
      },
      { out: dir },
    );
    const r = await writeReport(dir, { n: 64, disentanglementPoints: 20 });
    expect(r.files).toEqual(expect.arrayContaining(['traversals-factors.png', 'mutual-information.svg']));
    const png = PNG.sync.read(readFileSync(join(dir, 'report', 'traversals-factors.png')));
    expect(png.height).toBeGreaterThan((png.width / 11) * 2); // three rows of 11 images
    const svg = readFileSync(join(dir, 'report', 'mutual-information.svg'), 'utf8');
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThanOrEqual(3 * 5);
    const html = readFileSync(r.index, 'utf8');
    expect(html).toContain('Disentanglement (dSprites factors)');
    expect(html).toMatch(/β-VAE score, eval \(train\) %<\/td><td class="num">\d+\.\d \(\d+\.\d\)/);
    expect(html).toContain('99.23 ± 0.1');
    for (const f of ['shape', 'scale', 'orientation', 'posX', 'posY'])
      expect(html).toMatch(new RegExp(`β-VAE score, ${f} fixed, eval %</td><td class="num">\\d+\\.\\d<`));
    expect(html).toMatch(/z\d: (shape|scale|orientation|posX|posY) \(\d\.\d\d\)/);
    expect(existsSync(join(dir, 'report', 'traversals.png'))).toBe(true);
  });
});
