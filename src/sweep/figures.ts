/**
 * The seeds' cross-run figures, drawn from a sweep's rows as Vega-Lite specs (data inline), one
 * per result against the flag the sweep varies: active units, KL and test ELBO against the latent
 * size (seed 003's overpruning) with the ELBO-surgery terms (seed 002); test NLL against the importance samples k (seed 002's IWAE
 * table); reconstruction, KL and, for runs on dSprites, the disentanglement scores against β (seeds
 * 002, 004). Each run is a point; a line joins the
 * means over seeds; other varied flags (not the seed) colour the series.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG } from '../report/charts.js';
import type { RunSummary } from '../train/experiment.js';
import type { SweepRow } from './view.js';

/** One figure: file name for the page, title, caption and spec. */
export interface SweepChart {
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** A result drawn against a flag: a summary number, or `value` of the row (the sweep's own measurements). */
type Metric = { readonly key: string; readonly title: string; readonly value?: (r: SweepRow) => number | null | undefined };

/** Seed 004's disentanglement scores of a run on dSprites (sweep/disentanglement.ts). */
const DISENTANGLEMENT: readonly Metric[] = [
  { key: 'betaVaeScore', title: 'β-VAE score (accuracy)', value: (r) => r.disentanglement?.betaVae },
  { key: 'factorVaeScore', title: 'FactorVAE score (accuracy)', value: (r) => r.disentanglement?.factorVae },
  { key: 'mig', title: 'MIG', value: (r) => r.disentanglement?.mig },
  { key: 'dciDisentanglement', title: 'DCI disentanglement', value: (r) => r.disentanglement?.dciDisentanglement },
];

/** Per varied flag: its axis title, whether a log scale suits it, and the results drawn against it. */
const FIGURES: Record<
  string,
  { readonly axis: string; readonly log: boolean; readonly seed: string; readonly metrics: readonly Metric[] }
> = {
  latent: {
    axis: 'latent size d',
    log: true,
    seed: 'seed 003: as d grows only some latents stay active (overpruning)',
    metrics: [
      { key: 'activeUnits', title: 'active units (Var μ > 0.01)' },
      { key: 'testKl', title: 'KL(q(z|x) ‖ p(z)) (nats)' },
      { key: 'testElbo', title: 'test ELBO (nats)' },
    ],
  },
  k: {
    axis: 'importance samples k in training',
    log: true,
    seed: 'seed 002: the IWAE table, NLL falls as k grows',
    metrics: [
      { key: 'testNll', title: 'test NLL (nats)' },
      { key: 'testElbo', title: 'test ELBO (nats)' },
    ],
  },
  beta: {
    axis: 'β',
    log: false,
    seed: 'seeds 002, 004: β trades reconstruction for KL, and on data with known factors buys disentanglement',
    metrics: [
      { key: 'testReconstruction', title: 'reconstruction E_q[log p(x|z)] (nats)' },
      { key: 'testKl', title: 'KL(q(z|x) ‖ p(z)) (nats)' },
      ...DISENTANGLEMENT,
    ],
  },
};

/**
 * A chart of points `{ x, y, run, <series> }`, one per run, and a line through the mean y per x and
 * series (the mean over seeds); x on a log₂ scale with a tick at each value when `log`.
 */
function meanAndPoints(
  values: ReadonlyArray<{ x: number; y: number; run: string } & Record<string, unknown>>,
  o: { axis: string; log: boolean; yTitle: string; series: string; legend: boolean },
): TopLevelSpec {
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: o.axis,
    scale: o.log ? { type: 'log' as const, base: 2 } : { zero: false },
    axis: o.log ? { values: [...new Set(values.map((v) => v.x))] } : {},
  };
  const color = {
    field: o.series,
    type: 'nominal' as const,
    title: null,
    legend: o.legend ? { orient: 'bottom' as const, labelLimit: 400, columns: 1 } : null,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 380,
    height: 240,
    data: { values: [...values] },
    layer: [
      {
        transform: [{ aggregate: [{ op: 'mean', field: 'y', as: 'y' }], groupby: ['x', o.series] }],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: { zero: false } }, color },
      },
      {
        mark: { type: 'circle', size: 40, opacity: 0.8 },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative' },
          color,
          tooltip: [{ field: 'run' }, { field: o.series }, { field: 'y', title: o.yTitle, format: '.2f' }],
        },
      },
    ],
  };
}

const label = (v: unknown): string => (Array.isArray(v) ? v.join('x') : String(v));

/** The figures the sweep's varied flags allow, over the finished runs of `rows`. */
export function sweepCharts(varied: readonly string[], rows: readonly SweepRow[]): SweepChart[] {
  const charts: SweepChart[] = [];
  for (const x of varied.filter((v) => v in FIGURES)) {
    const fig = FIGURES[x];
    const others = varied.filter((v) => v !== x && v !== 'seed');
    for (const m of fig.metrics) {
      const values = rows.flatMap((r) => {
        const y = m.value ? m.value(r) : r.summary?.[m.key as keyof RunSummary];
        if (typeof y !== 'number' || !Number.isFinite(y) || typeof r.flags[x] !== 'number') return [];
        const series = others.map((o) => `${o}=${label(r.flags[o])}`).join(' ') || 'all runs';
        return [{ x: r.flags[x] as number, y, series, run: r.run }];
      });
      if (values.length === 0) continue;
      charts.push({
        file: `${String(m.key)}-vs-${x}.svg`,
        title: `${m.title.replace(/ \(.*\)$/, '')} against ${fig.axis}`,
        caption: `${m.title} of each finished run (points) and its mean over seeds (line), against ${fig.axis}; ${fig.seed}.`,
        spec: meanAndPoints(values, { axis: fig.axis, log: fig.log, yTitle: m.title, series: 'series', legend: others.length > 0 }),
      });
    }
  }
  if (varied.includes('latent')) {
    const surgery = surgeryChart(rows);
    if (surgery) charts.push(surgery);
  }
  return charts;
}

/** Seed 002's ELBO-surgery terms against the latent size: average KL = mutual information + marginal KL. */
function surgeryChart(rows: readonly SweepRow[]): SweepChart | null {
  const terms = [
    ['avgKl', 'average KL'],
    ['mutualInformation', 'mutual information I[i, z]'],
    ['marginalKl', 'marginal KL(q(z) ‖ p(z))'],
  ] as const;
  const values = rows.flatMap((r) =>
    r.surgery && typeof r.flags.latent === 'number'
      ? terms.map(([k, term]) => ({ x: r.flags.latent as number, y: r.surgery![k], term, run: r.run }))
      : [],
  );
  if (values.length === 0) return null;
  const logN = Math.max(...rows.map((r) => r.surgery?.logN ?? 0));
  return {
    file: 'elbo-surgery-vs-latent.svg',
    title: 'ELBO surgery against latent size d',
    caption: `Average KL of q(z|x) to p(z) and its two parts, mutual information between example and code (at most log N = ${logN.toFixed(2)} for the N test examples used) and marginal KL of the aggregate posterior q(z) to p(z), against d; seed 002's ELBO-surgery table (Hoffman & Johnson 2016).`,
    spec: meanAndPoints(values, { axis: 'latent size d', log: true, yTitle: 'nats', series: 'term', legend: true }),
  };
}
