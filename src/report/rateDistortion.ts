/**
 * The report's rate–distortion section (seed 004 §5.1.2: z as a compressed code; §5.4 compares the VAE
 * with PCA): the lossy code of `vaelab compress --lossy` (compress/lossy.ts) at B = 1…8 bits per active
 * latent, against PCA with as many components at the same B bits each, on held-out grey images. Runs
 * on grey data (not binarized) of VAEs with a diagonal Gaussian posterior, the models lossy coding takes.
 */
import { toBatch } from '../data/batches.js';
import { range, type Source } from '../data/dataset.js';
import { fitPca } from '../eval/pca.js';
import { VAE } from '../models/vae.js';
import { pcaRatePoint, vaeRatePoint, VaeLossyCoder, type RatePoint } from '../compress/lossy.js';
import { CONFIG, type Chart } from './charts.js';
import type { Section } from './html.js';

/** Bits per coded latent the curve visits. */
const BITS = [1, 2, 3, 4, 6, 8];

/** The VAE's and PCA's points, one per B. */
export interface RateDistortionCurve {
  readonly n: number;
  readonly vae: RatePoint[];
  readonly pca: RatePoint[];
}

/** Whether a run's model and data admit the lossy code: a VAE without a flow, on grey (not binarized) data. */
export function hasRateDistortion(model: unknown, binarize: string): model is VAE {
  return model instanceof VAE && model.config.flowSteps === 0 && binarize === 'none';
}

/** The curve on the first `n` images of `test`, PCA fitted on the first `fitN` of `train` (grey levels in [0, 1]). */
export async function rateDistortionCurve(
  vae: VAE,
  test: Source,
  train: Source,
  o: { n?: number; fitN?: number; threads?: number } = {},
): Promise<RateDistortionCurve> {
  const n = Math.min(o.n ?? 1000, test.n);
  const x = toBatch(test, range(0, n), { preprocess: 'grey' });
  const coder = await VaeLossyCoder.create(vae, 100, o.threads ?? 1);
  const vaePoints: RatePoint[] = [];
  for (const bits of BITS) vaePoints.push(await vaeRatePoint(coder, x, n, bits));
  const k = Math.max(1, vaePoints[0].coded);
  const fitN = Math.min(o.fitN ?? 2000, train.n);
  const pca = await fitPca(toBatch(train, range(0, fitN), { preprocess: 'grey' }), fitN, vae.dataSize, k, { threads: o.threads });
  return { n, vae: vaePoints, pca: BITS.map((bits) => pcaRatePoint(pca, x, n, bits)) };
}

/** The chart (PSNR against bits per image, VAE and PCA) and the section with its table. */
export function rateDistortionSection(curve: RateDistortionCurve): { chart: Chart; section: Section } {
  const values = [
    ...curve.vae.map((p) => ({ ...p, code: 'VAE μ(x), active latents' })),
    ...curve.pca.map((p) => ({ ...p, code: 'PCA, as many components' })),
  ];
  const chart: Chart = {
    file: 'rate-distortion.svg',
    title: 'Rate–distortion: the VAE’s latent code against PCA',
    caption:
      `Lossy coding of ${curve.n} held-out images (vaelab compress --lossy): each active latent's μ(x) quantised to B bits on the prior's ` +
      'equal-mass buckets and decoded as μ_x(ẑ), against PCA with as many components at B bits each (seed 004 §5.1.2 and §5.4). ' +
      'PSNR = 10 log10(1/MSE) on grey levels in [0, 1]; B = 1, 2, 3, 4, 6, 8.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: 460,
      height: 240,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'rate', type: 'quantitative', title: 'rate (bits per image)' },
        y: { field: 'psnr', type: 'quantitative', title: 'PSNR (dB)', scale: { zero: false } },
        color: { field: 'code', type: 'nominal', title: null, legend: { orient: 'bottom-right' } },
      },
    },
  };
  const row = (b: number, v: RatePoint, p: RatePoint): string =>
    `<tr><td class="num">${b}</td>${[v.rate, v.mse.toFixed(4), v.psnr.toFixed(1), p.rate, p.mse.toFixed(4), p.psnr.toFixed(1)].map((c) => `<td class="num">${c}</td>`).join('')}</tr>`;
  const html =
    `<table><tr><th colspan="7">Lossy code of ${curve.n} held-out images: ${curve.vae[0].coded} active latents, PCA with as many components</th></tr>` +
    '<tr><th>B (bits per latent)</th><th>VAE bits/image</th><th>VAE MSE</th><th>VAE PSNR (dB)</th><th>PCA bits/image</th><th>PCA MSE</th><th>PCA PSNR (dB)</th></tr>' +
    curve.vae.map((v, i) => row(v.bits, v, curve.pca[i])).join('') +
    '</table>';
  return {
    chart,
    section: {
      title: 'Rate–distortion (lossy compression)',
      figures: [{ file: chart.file, title: chart.title, caption: chart.caption }],
      html,
    },
  };
}
