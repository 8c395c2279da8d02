/**
 * The sweep's page, `<runsDir>/<sweep>/report/index.html`: one self-contained HTML file (inline CSS,
 * no scripts) with the table of every run's varied flags and results, then the cross-run figures
 * as SVG files beside it. Each run name links to the run's own report when it has one.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderSvg } from '../report/charts.js';
import { CSS, esc } from '../report/html.js';
import { sweepDir, sweepRunDir } from './layout.js';
import { sweepTable, sweepView } from './view.js';

/** Writes the page of sweep `name` under `runsDir` and its figures; returns the index.html path. */
export async function writeSweepReport(runsDir: string, name: string): Promise<string> {
  const view = sweepView(runsDir, name);
  const dir = join(sweepDir(runsDir, name), 'report');
  mkdirSync(dir, { recursive: true });
  for (const c of view.charts) writeFileSync(join(dir, c.file), await renderSvg(c.spec));
  const [head, ...body] = sweepTable(view.plan.varied, view.rows);
  const rows = body.map((cells, i) => {
    const run = view.rows[i].run;
    const report = join(sweepRunDir(runsDir, name, run), 'report', 'index.html');
    const link = existsSync(report) ? `<a href="${esc(relative(dir, report))}">${esc(run)}</a>` : esc(run);
    return `<tr><td>${link}</td>${cells.map((c, j) => `<td${j >= view.plan.varied.length + 1 ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
  });
  const figures = view.charts
    .map(
      (c) =>
        `<figure><img src="${esc(c.file)}" alt="${esc(c.title)}"><figcaption><b>${esc(c.title)}.</b> ${esc(c.caption)}</figcaption></figure>`,
    )
    .join('');
  const done = view.rows.filter((r) => r.state === 'done').length;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vaelab sweep: ${esc(name)}</title><style>${CSS}</style></head>
<body><main>
<h1>vaelab sweep: ${esc(name)}</h1>
<div class="sub">${view.plan.description ? esc(view.plan.description) + ' ' : ''}${done} of ${view.rows.length} runs done. Test-set numbers in nats per example.</div>
<table><tr><th>run</th>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.join('')}</table>
${figures ? `<h2>Across runs</h2><div class="figs">${figures}</div>` : '<p>No cross-run figure: the sweep varies neither latent, k nor beta, or no run has finished.</p>'}
</main></body></html>
`;
  const index = join(dir, 'index.html');
  writeFileSync(index, html);
  return index;
}
