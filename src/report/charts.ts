/**
 * The report's charts, as Vega-Lite specs rendered to SVG headless (vega's `renderer: 'none'` view
 * needs no canvas or browser): training curves from metrics.jsonl, KL per latent, the variance law
 * per latent (seed 000) and each latent's KL along training (seed 003).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { StepRecord, ValidationRecord } from '../train/runDir.js';
import type { VarianceLawRow } from './latents.js';

/** A chart: its Vega-Lite spec (data inline) and file name. */
export interface Chart {
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** Width of the training charts, two of which sit side by side. */
const NARROW = 460;
const HEIGHT = 240;
/** The charts' shared Vega-Lite config (fonts, axes, legends). */
export const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  title: { fontSize: 13, fontWeight: 'normal', anchor: 'start' },
} as const;

/** Renders a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The p-quantile of `values` (nearest rank). */
function quantile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(p * (s.length - 1))))];
}

const label = (i: number) => `z${i}`;
const TRAIN = 'train (one batch)';
const VALIDATION = 'validation';

/**
 * Training ELBO per logged step (one batch each) and validation ELBO per pass, over steps. The y
 * range leaves out the first 2 % of the values (the first steps' ELBO is several times the final one).
 */
export function elboChart(train: readonly StepRecord[], validation: readonly ValidationRecord[]): Chart {
  const values = [
    ...train.map((r) => ({ step: r.step, elbo: r.elbo, series: TRAIN })),
    ...validation.map((r) => ({ step: r.step, elbo: r.elbo, series: VALIDATION })),
  ];
  const ys = values.map((v) => v.elbo);
  const lo = ys.length ? quantile(ys, 0.02) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const pad = 0.05 * (hi - lo || 1);
  return {
    file: 'elbo.svg',
    title: 'ELBO during training',
    caption: 'ELBO (nats per example) of each logged training batch and of the validation set, over steps.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: NARROW,
      height: HEIGHT,
      data: { values },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
        y: { field: 'elbo', type: 'quantitative', title: 'ELBO (nats)', scale: { domain: [lo - pad, hi + pad], zero: false } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: [TRAIN, VALIDATION], range: ['#9ecae1', '#d62728'] },
          legend: { orient: 'bottom-right' },
        },
      },
      layer: [
        { transform: [{ filter: { field: 'series', equal: TRAIN } }], mark: { type: 'line', clip: true, strokeWidth: 1 } },
        {
          transform: [{ filter: { field: 'series', equal: VALIDATION } }],
          mark: { type: 'line', clip: true, strokeWidth: 2.5, point: true },
        },
      ],
    },
  };
}

/** KL(q(z|x) ‖ p(z)) of each logged training batch over steps (and the KL weight β where it varies). */
export function klChart(train: readonly StepRecord[]): Chart {
  const values = train.map((r) => ({ step: r.step, kl: r.kl }));
  return {
    file: 'kl.svg',
    title: 'KL during training',
    caption: 'KL(q(z|x) ‖ p(z)) (nats per example) of each logged training batch, over steps.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: NARROW,
      height: HEIGHT,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.5, color: '#6a51a3' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
        y: { field: 'kl', type: 'quantitative', title: 'KL (nats)' },
      },
    },
  };
}

/** Latent order of the per-latent charts: by Var_x[μ_i(x)], largest first. */
function sortedByVarMu(law: readonly VarianceLawRow[]): string[] {
  return [...law].sort((a, b) => b.varMu - a.varMu || a.latent - b.latent).map((r) => label(r.latent));
}

/** One bar per latent: the mean closed-form KL over the test examples, latents sorted by Var μ. */
export function klPerLatentChart(law: readonly VarianceLawRow[], activeThreshold: number): Chart {
  const values = law.map((r) => ({ latent: label(r.latent), kl: r.kl ?? 0, active: r.varMu > activeThreshold ? 'active' : 'inactive' }));
  return {
    file: 'kl-per-latent.svg',
    title: 'KL per latent',
    caption: `Mean KL(q(z_i|x) ‖ N(0, 1)) per latent on the test examples, latents sorted by Var μ; active means Var_x[μ_i(x)] > ${activeThreshold} (seeds 002, 003).`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: Math.min(1100, Math.max(200, 18 * law.length)),
      height: HEIGHT,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'latent', type: 'nominal', sort: sortedByVarMu(law), title: 'latent', axis: { labelAngle: law.length > 16 ? -90 : 0 } },
        y: { field: 'kl', type: 'quantitative', title: 'KL (nats)' },
        color: {
          field: 'active',
          type: 'nominal',
          title: null,
          scale: { domain: ['active', 'inactive'], range: ['#3182bd', '#bdbdbd'] },
          legend: { orient: 'top' },
        },
        tooltip: [{ field: 'latent' }, { field: 'kl', format: '.3f' }],
      },
    },
  };
}

/**
 * The variance law per latent (seed 000): Var_x[μ_i(x)] and E_x[σ_i²(x)] stacked, with a rule at 1
 * where their sum lies at the KL optimum; sorted by Var μ, active latents (Var μ ≈ 1) on the left and
 * inactive ones (E σ² ≈ 1, seed 003) on the right.
 */
export function varianceLawChart(law: readonly VarianceLawRow[]): Chart {
  const values = law.flatMap((r) => [
    { latent: label(r.latent), part: 'Var_x[μ(x)]', value: r.varMu, order: 0 },
    { latent: label(r.latent), part: 'E_x[σ²(x)]', value: r.meanSigma2, order: 1 },
  ]);
  const sort = sortedByVarMu(law);
  return {
    file: 'variance-law.svg',
    title: 'Variance law',
    caption:
      'Per latent, Var_x[μ(x)] (dark) and E_x[σ²(x)] (light) stacked: the variance law says they sum to 1 (seed 000); active latents have Var μ ≈ 1, inactive ones E σ² ≈ 1 (seed 003).',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: Math.min(1100, Math.max(200, 18 * law.length)),
      height: HEIGHT,
      layer: [
        {
          data: { values },
          mark: 'bar',
          encoding: {
            x: {
              field: 'latent',
              type: 'nominal',
              sort,
              title: 'latent (sorted by Var μ)',
              axis: { labelAngle: law.length > 16 ? -90 : 0 },
            },
            y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'variance' },
            color: {
              field: 'part',
              type: 'nominal',
              title: null,
              scale: { domain: ['Var_x[μ(x)]', 'E_x[σ²(x)]'], range: ['#08519c', '#9ecae1'] },
              legend: { orient: 'top' },
            },
            order: { field: 'order', type: 'quantitative' },
            tooltip: [{ field: 'latent' }, { field: 'part' }, { field: 'value', format: '.4f' }],
          },
        },
        {
          data: { values: [{ y: 1 }] },
          mark: { type: 'rule', color: '#d62728', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
      ],
    },
  };
}

/**
 * Each latent's mean KL over training steps, from the per-latent KL the trainer logs (seed 003 shows
 * the evolution of each latent's variance; the trainer logs KL per latent, which tells the same story:
 * a latent that stops carrying information falls to KL 0). Coloured by the final KL.
 */
export function klCurvesChart(train: readonly StepRecord[]): Chart | null {
  const logged = train.filter((r) => r.klPerLatent && r.klPerLatent.length > 0);
  if (logged.length < 2) return null;
  const d = logged[0].klPerLatent!.length;
  const last = logged[logged.length - 1].klPerLatent!;
  // Keep at most ~200 points per curve.
  const every = Math.max(1, Math.ceil(logged.length / 200));
  const values: Array<{ step: number; latent: string; kl: number; final: number }> = [];
  logged.forEach((r, j) => {
    if (j % every !== 0 && j !== logged.length - 1) return;
    for (let i = 0; i < d; i++) values.push({ step: r.step, latent: label(i), kl: r.klPerLatent![i], final: last[i] });
  });
  return {
    file: 'kl-curves.svg',
    title: 'KL per latent during training',
    caption:
      'Each latent’s KL (nats, one training batch) over steps, one line per latent coloured by its final KL: latents that fall to 0 have become inactive (seed 003, evolution along training).',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: NARROW,
      height: HEIGHT,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.85 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
        y: { field: 'kl', type: 'quantitative', title: 'KL per latent (nats)' },
        detail: { field: 'latent', type: 'nominal' },
        color: { field: 'final', type: 'quantitative', title: 'final KL', scale: { scheme: 'viridis' } },
      },
    },
  };
}

/** Options of {@link scatterChart}. */
export interface ScatterData {
  /** The two latents plotted. */
  readonly latents: readonly [number, number];
  readonly points: ReadonlyArray<{ x: number; y: number; label: string }>;
  readonly twoD: boolean;
}

/** Test-set posterior means μ(x) in two latent coordinates, coloured by label (seed 004, Figure 5.16). */
export function scatterChart(s: ScatterData): Chart {
  const [a, b] = s.latents;
  return {
    file: 'latent-scatter.svg',
    title: 'Posterior means',
    caption: s.twoD
      ? `Posterior means μ(x) of ${s.points.length} test images in the 2-D latent space, coloured by label (seed 004, Figure 5.16).`
      : `Posterior means μ(x) of ${s.points.length} test images on the two latents with the largest Var μ (z${a}, z${b}), coloured by label (seed 004, Figure 5.16).`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: 380,
      height: 380,
      data: { values: s.points as Array<{ x: number; y: number; label: string }> },
      mark: { type: 'circle', size: 12, opacity: 0.8 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: `μ(x) on z${a}`, scale: { zero: false } },
        y: { field: 'y', type: 'quantitative', title: `μ(x) on z${b}`, scale: { zero: false } },
        color: { field: 'label', type: 'nominal', title: 'label', scale: { scheme: 'tableau10' } },
      },
    },
  };
}
