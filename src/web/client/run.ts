/**
 * One run: its status and numbers, its training curves (live while it trains: the page follows the
 * server's event stream of new metrics.jsonl records), its config, and its report's pictures.
 */
import { getJson, reportFileUrl, runUrl, type MetricsChunk, type MetricsRecord, type RunDetail, type RunRow } from './api.js';
import { CurveChart } from './curves.js';
import { fmt, h, present, statusBadge } from './dom.js';
import { flattenConfig, latentCurves, runCurves } from './metrics.js';

/** The summary numbers shown at the top of a run (and in the comparison). */
export const SUMMARY_ROWS: ReadonlyArray<[string, string, number]> = [
  ['testElbo', 'test ELBO (nats)', 2],
  ['testReconstruction', 'test reconstruction', 2],
  ['testKl', 'test KL', 2],
  ['testNll', 'test NLL (nats)', 2],
  ['nllK', 'NLL importance samples K', 0],
  ['activeUnits', 'active units', 0],
  ['steps', 'steps', 0],
  ['epochs', 'epochs', 2],
  ['secPerEpoch', 's / epoch', 2],
  ['msPerStep', 'ms / step', 2],
];

/** The report's pictures in the order the report shows them. */
export const FIGURES = [
  'reconstructions.png',
  'samples-ancestral.png',
  'samples-mean.png',
  'samples-alpha.png',
  'traversals.png',
  'manifold.png',
  'latent-scatter.svg',
  'variance-law.svg',
  'kl-per-latent.svg',
  'elbo.svg',
  'kl.svg',
  'kl-curves.svg',
];

function summaryTable(summary: Record<string, unknown> | null, row: RunRow): HTMLElement {
  const s = summary ?? { steps: row.steps };
  return h(
    'table',
    { class: 'kv', id: 'summary' },
    h(
      'tbody',
      {},
      ...SUMMARY_ROWS.filter(([k]) => s[k] !== undefined && s[k] !== null).map(([k, label, digits]) =>
        h('tr', {}, h('th', {}, label), h('td', { class: 'num', 'data-key': k }, fmt(s[k] as number, digits))),
      ),
    ),
  );
}

/** Draws run `name` into `root`; returns a function that stops following it. */
export async function showRun(root: HTMLElement, name: string): Promise<() => void> {
  const detail = await getJson<RunDetail>(runUrl(name));
  const chunk = await getJson<MetricsChunk>(runUrl(name, '/metrics'));
  const records: MetricsRecord[] = [...chunk.records];
  const charts = {
    elbo: new CurveChart('ELBO', 'nats'),
    kl: new CurveChart('KL(q(z|x) ‖ p(z))', 'nats'),
    perLatent: new CurveChart('KL per latent during training (seed 003: the evolution of each latent)', 'nats', 1140, 300),
    varMu: new CurveChart('Var_x E[z_u|x] per latent (active: large)', 'variance (log)', 560, 300, true),
    meanSigma2: new CurveChart('E_x Var[z_u|x] per latent (inactive: near 1)', 'variance (log)', 560, 300, true),
  };
  const draw = () => {
    const c = runCurves(records);
    charts.elbo.set(c.elbo);
    charts.kl.set(c.kl);
    if (c.perLatent.length) charts.perLatent.set(c.perLatent);
    const v = latentCurves(records);
    if (v.varMu.length) {
      charts.varMu.set(v.varMu);
      charts.meanSigma2.set(v.meanSigma2);
    }
  };
  const badge = h('span', { id: 'run-status' }, statusBadge(detail.row.status));
  const problems = h('p', { class: 'problems' }, detail.row.problems.join('; '));
  const live = h('span', { id: 'live', class: 'muted' });
  const config = flattenConfig(detail.config);
  const figures = FIGURES.filter((f) => detail.files.includes(f));
  root.replaceChildren(
    ...present(
      h('h1', {}, name, ' ', badge, ' ', live),
      problems,
      chunk.bad > 0 ? h('p', { class: 'problems' }, `metrics.jsonl: ${chunk.bad} line(s) that do not parse, left out`) : null,
      h(
        'p',
        {},
        detail.row.hasCheckpoint ? h('a', { href: `#/explore/${encodeURIComponent(name)}` }, 'explore the latent space') : null,
        detail.row.hasReport
          ? h('span', {}, ' · ', h('a', { href: reportFileUrl(name, 'index.html'), target: '_blank' }, 'static report'))
          : null,
      ),
      h('div', { class: 'cols' }, summaryTable(detail.summary, detail.row), h('div', { class: 'charts' }, charts.elbo.el, charts.kl.el)),
      h('div', { class: 'charts' }, charts.perLatent.el),
      h('div', { class: 'charts', id: 'latent-variances' }, charts.varMu.el, charts.meanSigma2.el),
      h('h2', {}, 'Config'),
      h(
        'div',
        { class: 'config-grid', id: 'config' },
        ...[...config].map(([k, v]) => h('div', {}, h('span', { class: 'muted' }, k), ' ', v)),
      ),
      figures.length ? h('h2', {}, 'Report') : null,
      h(
        'div',
        { class: 'figures' },
        ...figures.map((f) => h('figure', {}, h('img', { src: reportFileUrl(name, f), alt: f }), h('figcaption', {}, f))),
      ),
    ),
  );
  draw();

  // Follow the run: records appended after the bytes already read arrive as `metrics` events.
  const events = new EventSource(runUrl(name, `/stream?from=${chunk.offset}`));
  events.addEventListener('metrics', (e) => {
    const m = JSON.parse((e as MessageEvent<string>).data) as { records: MetricsRecord[] };
    records.push(...m.records);
    draw();
    live.textContent = `live · step ${records.at(-1)?.step ?? ''}`;
  });
  events.addEventListener('status', (e) => {
    const row = JSON.parse((e as MessageEvent<string>).data) as RunRow;
    badge.replaceChildren(statusBadge(row.status));
    problems.textContent = row.problems.join('; ');
    if (row.status !== 'training') live.textContent = '';
  });
  return () => events.close();
}
