/**
 * Two to eight runs side by side: one table of their configs (rows that differ highlighted) and
 * summary numbers, their ELBO and KL curves overlaid, and their report's sample grids and
 * variance-law charts next to each other.
 */
import { getJson, reportFileUrl, runUrl, type MetricsChunk, type RunDetail } from './api.js';
import { CurveChart, PALETTE, type Curve } from './curves.js';
import { fmt, h, present, statusBadge } from './dom.js';
import { flattenConfig, runCurves } from './metrics.js';
import { SUMMARY_ROWS } from './run.js';

/** Pictures compared side by side, one row each, where the runs' reports have them. */
const SIDE_BY_SIDE = ['samples-mean.png', 'samples-ancestral.png', 'reconstructions.png', 'variance-law.svg', 'kl-per-latent.svg'];

/** Draws the comparison of runs `names` into `root`. */
export async function showCompare(root: HTMLElement, names: string[]): Promise<void> {
  if (names.length < 2 || names.length > 8) {
    root.replaceChildren(h('p', {}, `Pick 2 to 8 runs to compare (got ${names.length}).`));
    return;
  }
  const runs = await Promise.all(
    names.map(async (name) => ({
      name,
      detail: await getJson<RunDetail>(runUrl(name)),
      metrics: await getJson<MetricsChunk>(runUrl(name, '/metrics')),
    })),
  );
  const configs = runs.map((r) => flattenConfig(r.detail.config));
  const keys = [...new Set(configs.flatMap((c) => [...c.keys()]))].filter((k) => k !== 'train.out');
  const head = h(
    'tr',
    {},
    h('th', {}, ''),
    ...runs.map((r, i) => h('th', { style: `color:${PALETTE[i]}` }, h('a', { href: `#/run/${encodeURIComponent(r.name)}` }, r.name))),
  );
  const statusRow = h('tr', {}, h('th', {}, 'status'), ...runs.map((r) => h('td', {}, statusBadge(r.detail.row.status))));
  const numberRows = SUMMARY_ROWS.map(([k, label, digits]) => {
    const vals = runs.map((r) => (r.detail.summary?.[k] as number | undefined) ?? null);
    return h('tr', { class: 'number' }, h('th', {}, label), ...vals.map((v) => h('td', { class: 'num' }, fmt(v, digits))));
  });
  const configRows = keys.map((k) => {
    const vals = configs.map((c) => c.get(k) ?? '–');
    const differs = new Set(vals).size > 1;
    return h('tr', { class: differs ? 'config differs' : 'config', 'data-key': k }, h('th', {}, k), ...vals.map((v) => h('td', {}, v)));
  });
  const only = h('input', { type: 'checkbox', id: 'only-differences', checked: true });
  const table = h(
    'table',
    { class: 'compare only-differences', id: 'compare-table' },
    h('thead', {}, head),
    h('tbody', {}, statusRow, ...numberRows, ...configRows),
  );
  only.addEventListener('change', () => table.classList.toggle('only-differences', only.checked));

  const elbo = new CurveChart('ELBO (one training batch per logged step)', 'nats', 620, 300);
  const kl = new CurveChart('KL(q(z|x) ‖ p(z))', 'nats', 620, 300);
  const byRun = runs.map((r) => runCurves(r.metrics.records));
  elbo.set(byRun.map((c, i): Curve => ({ ...c.elbo[0], label: runs[i].name, color: PALETTE[i] })));
  kl.set(byRun.map((c, i): Curve => ({ ...c.kl[0], label: runs[i].name, color: PALETTE[i] })));

  const pictures = SIDE_BY_SIDE.filter((f) => runs.some((r) => r.detail.files.includes(f))).map((f) =>
    h(
      'div',
      { class: 'side-by-side' },
      h('h3', {}, f),
      h(
        'div',
        { class: 'row' },
        ...runs.map((r, i) =>
          h(
            'figure',
            {},
            r.detail.files.includes(f)
              ? h('img', { src: reportFileUrl(r.name, f), alt: `${r.name} ${f}` })
              : h('div', { class: 'muted' }, "not in this run's report"),
            h('figcaption', { style: `color:${PALETTE[i]}` }, r.name),
          ),
        ),
      ),
    ),
  );
  root.replaceChildren(
    ...present(
      h('h1', {}, `Compare ${runs.length} runs`),
      h('label', {}, only, ' only rows that differ'),
      table,
      h('h2', {}, 'Curves'),
      h('div', { class: 'charts' }, elbo.el, kl.el),
      h('h2', {}, 'Pictures'),
      ...pictures,
    ),
  );
}
