/**
 * Sweeps in the page: `#/sweeps` lists the sweeps under the runs folder with how many runs are done;
 * `#/sweep/NAME` shows one: its table (the flags that vary, each run's state and results; a run links
 * to its own view) and the seeds' cross-run figures drawn with vega-embed from the server's specs.
 */
import embed from 'vega-embed';
import type { SweepDetail, SweepSummary } from '../sweeps.js';
import { getJson } from './api.js';
import { h, present } from './dom.js';

/** Draws the list of sweeps into `root`. */
export async function showSweeps(root: HTMLElement): Promise<void> {
  const { sweeps } = await getJson<{ sweeps: SweepSummary[] }>('/api/sweeps');
  root.replaceChildren(
    h('h1', {}, 'Sweeps'),
    sweeps.length === 0
      ? h('p', {}, 'No sweeps in this folder: start one with vaelab sweep SPEC --runs-dir DIR.')
      : h(
          'table',
          { id: 'sweeps-table', class: 'runs' },
          h('thead', {}, h('tr', {}, h('th', {}, 'sweep'), h('th', {}, 'runs done'), h('th', {}, 'description'))),
          h(
            'tbody',
            {},
            ...sweeps.map((s) =>
              h(
                'tr',
                { 'data-sweep': s.name },
                h('td', {}, h('a', { href: `#/sweep/${encodeURIComponent(s.name)}` }, s.name)),
                h('td', { class: 'num' }, `${s.done} / ${s.runs}`),
                h('td', { class: s.problem ? 'problems' : 'muted' }, s.problem ?? s.description ?? ''),
              ),
            ),
          ),
        ),
  );
}

/** The sweep run states drawn as the runs list's status badges. */
const BADGE: Record<string, string> = {
  done: 'done',
  running: 'training',
  queued: 'stopped',
  pending: 'stopped',
  interrupted: 'stopped',
  failed: 'failed',
};

/** Draws sweep `name` into `root`. */
export async function showSweep(root: HTMLElement, name: string): Promise<void> {
  const view = await getJson<SweepDetail>(`/api/sweeps/${encodeURIComponent(name)}`);
  const [head, ...body] = view.table;
  const varied = view.plan.varied.length;
  const rows = body.map((cells, i) => {
    const id = view.runIds[i];
    const run = view.rows[i].run;
    const state = view.rows[i].state;
    return h(
      'tr',
      { 'data-run': run, 'data-state': state },
      h('td', {}, id ? h('a', { href: `#/run/${encodeURIComponent(id)}` }, run) : run),
      ...cells.map((c, j) =>
        h(
          'td',
          { class: j > varied ? 'num' : '' },
          j === varied ? h('span', { class: `status status-${BADGE[state] ?? 'stopped'}`, title: state }, state) : c,
        ),
      ),
    );
  });
  const done = view.rows.filter((r) => r.state === 'done').length;
  const figures = view.charts.map((c) => {
    const el = h('div', { class: 'vega' });
    return {
      c,
      el,
      figure: h('figure', { class: 'sweep-chart', 'data-file': c.file }, el, h('figcaption', {}, h('b', {}, `${c.title}. `), c.caption)),
    };
  });
  root.replaceChildren(
    ...present(
      h('h1', {}, `Sweep ${name}`),
      h(
        'p',
        { class: 'muted' },
        `${view.plan.description ? `${view.plan.description} ` : ''}${done} of ${view.rows.length} runs done. Test-set numbers in nats per example.`,
      ),
      // A scroll box of its own: a disentanglement sweep has more columns than a screen is wide.
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'sweep-table', class: 'runs' },
          h('thead', {}, h('tr', {}, h('th', {}, 'run'), ...head.map((t) => h('th', {}, t)))),
          h('tbody', {}, ...rows),
        ),
      ),
      h('h2', {}, 'Across runs'),
      figures.length
        ? h('div', { class: 'figures', id: 'sweep-charts' }, ...figures.map((f) => f.figure))
        : h('p', {}, 'No cross-run figure yet: the sweep varies neither latent, k nor beta, or no run has finished.'),
    ),
  );
  await Promise.all(figures.map((f) => embed(f.el, f.c.spec as Parameters<typeof embed>[1], { actions: false })));
}
