/**
 * The runs list: one row per run, sortable by any column, filtered by a text box, with boxes to pick
 * runs to compare. Sorting and filtering run over every run; the table shows one page of
 * {@link PAGE_ROWS} rows at a time (a row is built the first time it is shown and kept), so that
 * drawing, re-sorting and the browser's layout cost the same for 500 runs as for 100.
 */
import { getJson, type RunRow } from './api.js';
import { fmt, h, statusBadge, when } from './dom.js';

interface Column {
  readonly key: keyof RunRow;
  readonly title: string;
  readonly cell: (r: RunRow) => Node | string;
  /** Numbers sort descending first. */
  readonly numeric?: boolean;
}

/** Rows shown per page. */
export const PAGE_ROWS = 100;

const nll = (r: RunRow) =>
  r.testNll === null ? '–' : `${fmt(r.testNll)}${r.testNllSe !== null ? ` ± ${fmt(r.testNllSe)}` : ''}${r.nllK ? ` (K=${r.nllK})` : ''}`;

const COLUMNS: Column[] = [
  { key: 'name', title: 'run', cell: (r) => h('a', { href: `#/run/${encodeURIComponent(r.name)}` }, r.name) },
  {
    key: 'status',
    title: 'status',
    cell: (r) => h('span', { title: r.problems.join('; ') }, statusBadge(r.status), r.problems.length ? ' ⚠' : ''),
  },
  { key: 'model', title: 'model', cell: (r) => r.model ?? '–' },
  { key: 'decoder', title: 'decoder', cell: (r) => r.decoder ?? '–' },
  { key: 'prior', title: 'prior', cell: (r) => r.prior ?? '–' },
  { key: 'objective', title: 'objective', cell: (r) => r.objective ?? '–' },
  { key: 'latent', title: 'd', cell: (r) => String(r.latent ?? '–'), numeric: true },
  { key: 'dataset', title: 'data', cell: (r) => r.dataset ?? '–' },
  { key: 'steps', title: 'steps', cell: (r) => String(r.steps ?? '–'), numeric: true },
  { key: 'testElbo', title: 'test ELBO', cell: (r) => fmt(r.testElbo), numeric: true },
  { key: 'testNll', title: 'test NLL', cell: nll, numeric: true },
  { key: 'activeUnits', title: 'active', cell: (r) => String(r.activeUnits ?? '–'), numeric: true },
  { key: 'started', title: 'started', cell: (r) => when(r.started) },
];

/** Draws the runs list into `root`. */
export async function showList(root: HTMLElement): Promise<void> {
  const { runs } = await getJson<{ runs: RunRow[] }>('/api/runs');
  let sortKey: keyof RunRow = 'started';
  let descending = true;
  const picked = new Set<string>();
  const filter = h('input', { id: 'filter', type: 'search', placeholder: 'filter: any text, e.g. beta, training, mnist', size: 40 });
  const compare = h('button', { id: 'compare-button', disabled: true }, 'compare');
  const count = h('span', { class: 'muted' });
  const tbody = h('tbody');
  let page = 0;
  const prev = h('button', { id: 'page-prev' }, '‹ prev');
  const next = h('button', { id: 'page-next' }, 'next ›');
  const pageText = h('span', { id: 'page-text', class: 'muted' });
  const pager = h('span', { class: 'pager' }, prev, ' ', pageText, ' ', next);
  const head = h('tr', {}, h('th', {}, ''), ...COLUMNS.map((c) => h('th', { 'data-key': c.key, class: 'sortable' }, c.title)));

  // A row is built the first time its page is shown and kept; sorting and filtering only reorder.
  const built = new Map<string, HTMLTableRowElement>();
  const trOf = (r: RunRow): HTMLTableRowElement => {
    let tr = built.get(r.name);
    if (tr) return tr;
    const box = h('input', { type: 'checkbox', 'data-pick': r.name, checked: picked.has(r.name) });
    box.addEventListener('change', () => {
      if (box.checked) picked.add(r.name);
      else picked.delete(r.name);
      updateCompare();
    });
    tr = h(
      'tr',
      { 'data-run': r.name, 'data-status': r.status },
      h('td', {}, box),
      ...COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : '' }, c.cell(r))),
    );
    built.set(r.name, tr);
    return tr;
  };
  const matches = (r: RunRow, words: string[]) => {
    const text = [r.name, r.status, r.model, r.decoder, r.prior, r.objective, r.dataset, r.latent, ...r.problems].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const updateCompare = () => {
    compare.disabled = picked.size < 2 || picked.size > 8;
    compare.textContent = `compare ${picked.size || ''}`.trim();
  };
  const draw = () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = runs
      .filter((r) => matches(r, words))
      .sort((a, b) => {
        const x = a[sortKey];
        const y = b[sortKey];
        if (x === y) return a.name.localeCompare(b.name);
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return descending ? -c : c;
      });
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
    page = Math.min(page, pages - 1);
    const shown = rows.slice(page * PAGE_ROWS, (page + 1) * PAGE_ROWS);
    tbody.replaceChildren(...shown.map(trOf));
    count.textContent = `${rows.length} of ${runs.length} runs`;
    pager.hidden = pages === 1;
    prev.disabled = page === 0;
    next.disabled = page === pages - 1;
    pageText.textContent = `rows ${page * PAGE_ROWS + 1}–${page * PAGE_ROWS + shown.length} of ${rows.length}`;
    for (const th of head.querySelectorAll('th[data-key]'))
      th.className = `sortable${th.getAttribute('data-key') === sortKey ? (descending ? ' desc' : ' asc') : ''}`;
  };
  head.addEventListener('click', (e) => {
    const key = (e.target as HTMLElement).closest('th')?.getAttribute('data-key') as keyof RunRow | null;
    if (!key) return;
    descending = key === sortKey ? !descending : COLUMNS.find((c) => c.key === key)?.numeric === true || key === 'started';
    sortKey = key;
    page = 0;
    draw();
  });
  filter.addEventListener('input', () => {
    page = 0;
    draw();
  });
  prev.addEventListener('click', () => {
    page--;
    draw();
  });
  next.addEventListener('click', () => {
    page++;
    draw();
  });
  compare.addEventListener('click', () => (location.hash = `#/compare/${[...picked].map(encodeURIComponent).join(',')}`));
  root.replaceChildren(
    h('h1', {}, 'Runs'),
    h('div', { class: 'toolbar' }, filter, ' ', compare, ' ', count, ' ', pager),
    runs.length === 0
      ? h('p', {}, 'No runs in this folder yet: start one with vaelab train --out DIR/NAME.')
      : h('table', { id: 'runs-table', class: 'runs' }, h('thead', {}, head), tbody),
  );
  updateCompare();
  draw();
}
