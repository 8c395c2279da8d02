/**
 * The report's disentanglement section for runs on data with ground-truth factors (dSprites): latent
 * traversals labelled by the factor each latent tracks best (the largest normalised mutual information
 * I(z_j; v_k) / H(v_k) of the MIG matrix), the latent × factor mutual-information heat map, and the
 * metric table with the seed's reference numbers (seed 002, Higgins et al. 2017 table) beside it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LatentVariableModel } from '../models/types.js';
import { betaVaeRecall } from '../eval/disentanglement/betaVae.js';
import { scoreDspritesModel } from '../eval/disentanglement/scoreModel.js';
import type { DisentanglementScores } from '../eval/disentanglement/score.js';
import type { ImageShape } from './canvas.js';
import { renderSvg, type Chart } from './charts.js';
import { esc, type Section } from './html.js';
import { traversals, type Decoder, type Picture } from './pictures.js';

/** Seed 002's table (Higgins et al. 2017): β-VAE disentanglement metric score, percent. */
export const SEED_BETA_VAE_TABLE: ReadonlyArray<readonly [string, string]> = [
  ['Ground truth', '100'],
  ['Raw pixels', '45.75 ± 0.8'],
  ['PCA', '84.9 ± 0.4'],
  ['ICA', '42.03 ± 10.6'],
  ['DC-IGN', '99.3 ± 0.1'],
  ['InfoGAN', '73.5 ± 0.9'],
  ['VAE untrained', '44.14 ± 2.5'],
  ['VAE', '61.58 ± 0.5'],
  ['β-VAE', '99.23 ± 0.1'],
];

/** Options of {@link disentanglementSection}. */
export interface DisentanglementSectionOptions {
  /** Training points of the β-VAE and FactorVAE scores (default 100, evaluation half as many: a quick estimate). */
  readonly points?: number;
  /** Codes of MIG, DCI and FactorVAE's variances (default 5,000). */
  readonly codes?: number;
  readonly seed?: number;
  readonly threads?: number;
}

/** Each latent's best-tracked factor: argmax_k I(z_j; v_k) / H(v_k), and that value. */
export function bestFactors(s: DisentanglementScores): Array<{ latent: number; factor: string; normalisedMi: number }> {
  const m = s.migMatrix!;
  return m.mi.map((row, j) => {
    let best = 0;
    row.forEach((v, k) => {
      if (v / m.entropy[k] > row[best] / m.entropy[best]) best = k;
    });
    return { latent: j, factor: s.factors[best], normalisedMi: row[best] / m.entropy[best] };
  });
}

/** The heat map of I(z_j; v_k) / H(v_k), latents × factors. */
export function mutualInformationChart(s: DisentanglementScores): Chart {
  const m = s.migMatrix!;
  const values = m.mi.flatMap((row, j) => row.map((v, k) => ({ latent: `z${j}`, factor: s.factors[k], value: v / m.entropy[k] })));
  return {
    file: 'mutual-information.svg',
    title: 'Mutual information between latents and factors',
    caption: `I(z_j; v_k) / H(v_k) with μ_j(x) in 20 bins over the sampled dSprites images (the matrix of MIG, Chen et al. 2018): a disentangled latent lights up one column.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 60 * s.factors.length,
      height: 22 * m.mi.length,
      data: { values },
      mark: 'rect',
      encoding: {
        x: { field: 'factor', type: 'nominal', sort: [...s.factors], title: 'factor' },
        y: { field: 'latent', type: 'nominal', sort: m.mi.map((_, j) => `z${j}`), title: 'latent' },
        color: { field: 'value', type: 'quantitative', title: 'I / H', scale: { domain: [0, 1], scheme: 'blues' } },
      },
    },
  };
}

const pct = (v: number | undefined | null): string => (v === undefined || v === null ? '–' : (100 * v).toFixed(1));

/** The metric table: this run's four metrics, and the seed's β-VAE score table beside it. */
export function metricTableHtml(s: DisentanglementScores, sizes: string): string {
  const run: Array<[string, string]> = [
    ['β-VAE score, eval (train) %', `${pct(s.betaVaeScore?.evalAccuracy)} (${pct(s.betaVaeScore?.trainAccuracy)})`],
    ['FactorVAE score, eval (train) %', `${pct(s.factorVaeScore?.evalAccuracy)} (${pct(s.factorVaeScore?.trainAccuracy)})`],
    ...(s.betaVaeScore ? betaVaeRecall(s.betaVaeScore.evalConfusion) : []).map((r, k): [string, string] => [
      `β-VAE score, ${s.factors[k]} fixed, eval %`,
      pct(r),
    ]),
    ['MIG', s.mig === null ? '–' : s.mig.toFixed(3)],
    ['DCI disentanglement', s.dci ? s.dci.disentanglement.toFixed(3) : '–'],
    ['DCI completeness', s.dci ? s.dci.completeness.toFixed(3) : '–'],
    ['DCI informativeness (held-out R²)', s.dci ? s.dci.informativeness.toFixed(3) : '–'],
  ];
  const table = (title: string, rows: ReadonlyArray<readonly [string, string]>) =>
    `<table><tr><th colspan="2">${esc(title)}</th></tr>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${esc(v)}</td></tr>`).join('')}</table>`;
  return `<div class="tables">${table(`This run (${sizes})`, run)}${table('Seed 002 (Higgins et al. 2017): β-VAE score %', SEED_BETA_VAE_TABLE)}</div>`;
}

/**
 * Scores `model` on dSprites and writes the section's files into `dir`: `traversals-factors.png`
 * (rows grouped by the factor each latent tracks) and `mutual-information.svg`.
 */
export async function disentanglementSection(
  model: LatentVariableModel,
  decoder: Decoder,
  img: ImageShape,
  dir: string,
  opts: DisentanglementSectionOptions = {},
): Promise<{ section: Section; scores: DisentanglementScores; files: string[] }> {
  const points = opts.points ?? 100;
  const codes = opts.codes ?? 5000;
  const scores = await scoreDspritesModel(model, 'dsprites', { points, codes, seed: opts.seed, threads: opts.threads });
  const best = bestFactors(scores);
  const factors = scores.factors;
  const rows = [...best].sort((a, b) => factors.indexOf(a.factor) - factors.indexOf(b.factor) || b.normalisedMi - a.normalisedMi);
  const pic: Picture = await traversals(
    decoder,
    model.latentSize,
    rows.map((r) => r.latent),
    img,
    dir,
    11,
    3,
    'traversals-factors.png',
  );
  const chart = mutualInformationChart(scores);
  writeFileSync(join(dir, chart.file), await renderSvg(chart.spec));
  const labels = rows.map((r) => `z${r.latent}: ${r.factor} (${r.normalisedMi.toFixed(2)})`).join(', ');
  return {
    scores,
    files: [pic.file, chart.file],
    section: {
      title: 'Disentanglement (dSprites factors)',
      figures: [
        {
          file: pic.file,
          title: 'Latent traversals by factor',
          caption: `μ_x(z) as one latent goes from −3 to 3 with the others at 0; rows labelled by the factor each latent tracks best, I(z_j; v_k)/H(v_k) in brackets: ${labels}.`,
        },
        { file: chart.file, title: chart.title, caption: chart.caption },
      ],
      html: metricTableHtml(
        scores,
        `β-VAE/FactorVAE on ${points}/${Math.ceil(points / 2)} points of 64 pairs, MIG and DCI on ${codes} codes`,
      ),
    },
  };
}
