import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../train/experiment.js';
import { gridSize } from './canvas.js';
import { writeReport } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-arpics-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const MNIST = { c: 1, h: 28, w: 28 } as const;

describe('report of a PixelVAE run', () => {
  it('draws reconstructions and traversals pixel by pixel, beside the samples', async () => {
    const dir = join(root, 'pixelvae');
    await runExperiment(
      {
        model: {
          kind: 'pixelvae',
          latent: 3,
          hidden: [16],
          pixelLayers: 1,
          pixelKernel: 3,
          pixelChannels: 4,
          condChannels: 2,
          prior: 'af',
          priorFlowHidden: [8],
        },
        train: { dataset: 'mnist', binarize: 'static', trainN: 100, batch: 25, maxSteps: 4, validation: 50, threads: 1 },
        eval: { k: 2, n: 25 },
      },
      { out: dir },
    );
    const report = await writeReport(dir, { n: 50, samples: 4, threads: 1 });
    expect(report.files).toEqual(expect.arrayContaining(['reconstructions.png', 'traversals.png', 'samples-ancestral.png']));
    const size = (f: string): [number, number] => {
      const png = PNG.sync.read(readFileSync(join(dir, 'report', f)));
      return [png.width, png.height];
    };
    const rec = gridSize(MNIST, { rows: 2, cols: 16, groupRows: 2 });
    expect(size('reconstructions.png')).toEqual([rec.width, rec.height]);
    const tr = gridSize(MNIST, { rows: 3, cols: 7 });
    expect(size('traversals.png')).toEqual([tr.width, tr.height]);
    const html = readFileSync(report.index, 'utf8');
    expect(html).toContain('traversals.png');
    expect(html).toMatch(/pixel by pixel/);
  }, 120_000);
});
