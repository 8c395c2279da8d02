/**
 * The report's measurement sections (issue #7): the active units per layer, posterior collapse and the
 * evolution of each latent's Var μ and E σ² over training as charts; ELBO surgery beside seed 002's
 * table, the aggregate posterior's moments and the PCA / pPCA comparison as tables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Diagnostics } from '../eval/diagnostics.js';
import type { PcaComparison, SurgeryRow } from '../eval/fullEvaluation.js';
import { SEED_SURGERY_TABLE } from '../eval/printEvaluation.js';
import type { ValidationRecord } from '../train/runDir.js';
import type { Chart } from './charts.js';
import { esc } from './html.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 13, fontWeight: 'normal', anchor: 'start' },
} as const;
const width = (n: number) => Math.min(1100, Math.max(200, 18 * n));

/** The bottom of the log-scale activity axis (log-scale bars need a positive base). */
const FLOOR = 1e-5;

/** Var_x[E_q[z_u|x]] per latent, one panel per stochastic layer, with the 0.01 threshold of Burda et al. */
export function activeUnitsChart(diag: Diagnostics, threshold: number): Chart {
  const values = diag.layers.flatMap((l) =>
    l.varianceLaw.varMu.map((v, u) => ({
      layer: l.name,
      latent: `${l.name}_${u}`,
      activity: Math.max(v, FLOOR),
      active: v > threshold ? 'active' : 'inactive',
    })),
  );
  const n = Math.max(...diag.layers.map((l) => l.size));
  return {
    file: 'active-units.svg',
    title: `Active units per layer: ${diag.activeUnitsPerLayer.join(' + ')}`,
    caption: `A_u = Var_x(E_q[z_u|x]) per latent (log scale), one row per stochastic layer; active when above ${threshold} (dashed), Burda et al. 2016 (seed 002). Hierarchical z2 and IAF z_T means are Monte Carlo averages over z1 / z_0.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      facet: { row: { field: 'layer', type: 'nominal', title: null } },
      spec: {
        width: width(n),
        height: 140,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'latent', type: 'nominal', sort: null, title: 'latent', axis: { labelAngle: n > 16 ? -90 : 0 } },
              y: { field: 'activity', type: 'quantitative', scale: { type: 'log', domainMin: FLOOR }, title: 'Var_x E_q[z|x]' },
              y2: { datum: FLOOR },
              color: {
                field: 'active',
                type: 'nominal',
                title: null,
                scale: { domain: ['active', 'inactive'], range: ['#3182bd', '#bdbdbd'] },
              },
            },
          },
          { mark: { type: 'rule', color: '#d62728', strokeDash: [5, 3] }, encoding: { y: { datum: threshold } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    } as TopLevelSpec,
  };
}

/** Per latent, the fraction of examples with KL(q(z_u|x) ‖ p(z_u)) < ε (Lucas et al. 2019; seed 004). */
export function collapseChart(diag: Diagnostics): Chart | null {
  const c = diag.collapse;
  if (!c) return null;
  const values = c.fraction.map((f, u) => ({ latent: `z${u}`, fraction: f, collapsed: f >= 1 - c.delta ? 'collapsed' : 'not collapsed' }));
  return {
    file: 'collapse.svg',
    title: `Posterior collapse: ${c.collapsed} of ${c.fraction.length} latents`,
    caption: `Per latent, the fraction of test examples with KL(q(z_u|x) ‖ p(z_u)) < ε = ${c.epsilon} nats; (ε, δ)-collapsed when ≥ 1 − δ = ${1 - c.delta} (Lucas et al. 2019; seed 004).`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: width(values.length),
      height: 200,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'latent', type: 'nominal', sort: null, axis: { labelAngle: values.length > 16 ? -90 : 0 } },
        y: { field: 'fraction', type: 'quantitative', scale: { domain: [0, 1] }, title: 'fraction with KL_u < ε' },
        color: {
          field: 'collapsed',
          type: 'nominal',
          title: null,
          scale: { domain: ['collapsed', 'not collapsed'], range: ['#d62728', '#9ecae1'] },
        },
      },
    },
  };
}

/** Each latent's Var μ and E σ² at every validation (seed 003's figure), from metrics.jsonl. */
export function evolutionChart(validation: readonly ValidationRecord[]): Chart | null {
  const recs = validation.filter((r) => r.latents && r.latents.length > 0);
  if (recs.length < 2) return null;
  const values = recs.flatMap((r) =>
    r.latents!.flatMap((l) =>
      l.varMu.flatMap((v, u) => [
        { step: r.step, latent: `${l.layer}_${u}`, stat: 'Var_x[μ]', value: v },
        { step: r.step, latent: `${l.layer}_${u}`, stat: 'E_x[σ²]', value: l.meanSigma2[u] },
      ]),
    ),
  );
  return {
    file: 'latent-evolution.svg',
    title: 'Each latent along training',
    caption:
      'Var_x[E_q[z_u|x]] (left) and E_x[Var_q[z_u|x]] (right) of every latent at each validation, on a fixed validation subset: active latents rise towards Var μ ≈ 1, inactive ones settle at Var μ ≈ 0, E σ² ≈ 1 (seed 003).',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      facet: { column: { field: 'stat', type: 'nominal', title: null, sort: ['Var_x[μ]', 'E_x[σ²]'] } },
      spec: {
        width: 420,
        height: 220,
        mark: { type: 'line', strokeWidth: 1.2, point: recs.length < 20 },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'latent', type: 'nominal', legend: values.length > 40 * recs.length ? null : { columns: 2 } },
        },
      },
    } as TopLevelSpec,
  };
}

const td = (v: number | null | undefined, digits = 2) =>
  `<td class="num">${v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits)}</td>`;

/** Seed 002's ELBO-surgery table with this run's row on top. */
export function surgeryTable(s: SurgeryRow, latent: number): string {
  const rows = [
    `<tr><td><b>this run, d = ${latent}</b> (N = ${s.n})</td>${td(s.elbo)}${td(s.avgKl)}${td(s.mutualInformation)}<td class="num">${s.marginalKl.toFixed(2)} ± ${s.marginalKlSe.toFixed(2)}</td>${td(s.logN, 4)}</tr>`,
    ...SEED_SURGERY_TABLE.map(
      (r) =>
        `<tr><td>seed 002, ${esc(r.latent)} latents</td>${td(r.elbo)}${td(r.avgKl)}${td(r.mutualInformation)}${td(r.marginalKl)}${td(11.0021, 4)}</tr>`,
    ),
  ];
  const posterior = s.posterior ? `<tr><td colspan="6">${esc(s.posterior)}</td></tr>` : '';
  return `<table><tr><th colspan="6">ELBO surgery (Hoffman &amp; Johnson 2016; training set): avg KL = mutual information + marginal KL</th></tr>${posterior}<tr><th></th><th>ELBO</th><th>avg KL</th><th>mutual info (≤ log N)</th><th>marginal KL</th><th>log N</th></tr>${rows.join('')}</table>`;
}

/** Moments of the aggregate posterior per latent against N(0, 1)'s 0, 1, 0, 0 (seed 000). */
export function momentsTable(diag: Diagnostics): string {
  const rows = diag.layers.flatMap((l) =>
    l.aggregateMoments.mean.map((m, u) => {
      const a = l.aggregateMoments;
      return `<tr><td>${esc(l.name)}_${u}</td>${td(m, 3)}${td(a.variance[u], 3)}${td(a.skewness[u], 3)}${td(a.excessKurtosis[u], 3)}</tr>`;
    }),
  );
  return `<table><tr><th colspan="5">Moments of the aggregate posterior q(z) (N(0, 1): 0, 1, 0, 0; seed 000)</th></tr><tr><th>latent</th><th>mean</th><th>variance</th><th>skewness</th><th>excess kurtosis</th></tr>${rows.join('')}</table>`;
}

/** The PCA / pPCA comparison row (seed 004). */
export function pcaTable(p: PcaComparison): string {
  return `<table><tr><th colspan="4">PCA and pPCA at the same latent size (seed 004; test images, fitted on ${p.fitN} training images)</th></tr><tr><th>q</th><th>PCA ‖x − x̂‖²</th><th>VAE ‖x − μ_x(μ_z(x))‖²</th><th>pPCA test log-likelihood</th></tr><tr>${td(p.latent, 0)}${td(p.reconstructionMse)}${td(p.vaeReconstructionMse)}${p.ppcaLogLikelihood === null ? '<td>– (binarized data)</td>' : td(p.ppcaLogLikelihood)}</tr></table>`;
}

/** The file `vaelab eval` writes into the run directory: its `--json` object. */
export const EVALUATION_FILE = 'evaluation.json';

/** What {@link measurementSections} adds to the report. */
export interface MeasurementSections {
  readonly charts: Chart[];
  /** Tables (HTML) for the page. */
  readonly html: string;
}

/**
 * The report's measurement charts and tables: diagnostics from `diag` (computed on the report's
 * examples), surgery and PCA from `runDir/evaluation.json` when `vaelab eval` has written one.
 */
export function measurementSections(
  runDir: string,
  diag: Diagnostics | null,
  validation: readonly ValidationRecord[],
  threshold: number,
): MeasurementSections {
  const charts: Chart[] = [];
  const tables: string[] = [];
  if (diag) {
    charts.push(activeUnitsChart(diag, threshold));
    const c = collapseChart(diag);
    if (c) charts.push(c);
  }
  const evo = evolutionChart(validation);
  if (evo) charts.push(evo);
  const path = join(runDir, EVALUATION_FILE);
  const saved = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { surgery?: SurgeryRow | null; pca?: PcaComparison | null })
    : null;
  const latent = diag ? diag.layers[diag.layers.length - 1].size : 0;
  if (saved?.surgery) tables.push(surgeryTable(saved.surgery, latent));
  if (saved?.pca) tables.push(pcaTable(saved.pca));
  if (diag) tables.push(momentsTable(diag));
  const hint = saved
    ? ''
    : '<p class="notes">ELBO surgery and the PCA / pPCA comparison appear here after <code>vaelab eval RUN_DIR</code> (it writes evaluation.json).</p>';
  return { charts, html: `<h2>Measurements</h2>${hint}<div class="tables">${tables.join('')}</div>` };
}
