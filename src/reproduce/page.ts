/**
 * The reproduction's page, `reproduction/index.html`: one self-contained HTML file (the report pages'
 * stylesheet, no scripts) with the budget, the seed-vs-vaelab table (seed's number and source, vaelab's,
 * distance, expected distance at this budget, verdict and why), each seed figure's description beside
 * the vaelab picture that regenerates it (the runs' report pictures, or pictures of this folder), and
 * links to the runs' reports.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CSS, esc } from '../report/html.js';
import { sweepRunDir } from '../sweep/layout.js';
import type { ComparisonRow } from './compare.js';
import type { Experiment } from './experiment.js';
import type { Reproduction } from './runner.js';

/** A number as the table prints it: 4 significant digits, small ones in scientific notation. */
export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

const VERDICT_CLASS: Record<ComparisonRow['verdict'], string> = {
  within: 'ok',
  holds: 'ok',
  outside: 'bad',
  'does not hold': 'bad',
  'not expected at this budget': 'na',
  'not measured': 'na',
};

const PAGE_CSS = `${CSS}
td.ok { color: #1b7f3b; font-weight: 600; } td.bad { color: #b42318; font-weight: 600; } td.na { color: #777; }
td.why { color: #555; font-size: 13px; max-width: 420px; }
figure img { max-width: 420px; width: 100%; }
figure { width: 444px; }`;

function rowHtml(r: ComparisonRow): string {
  const seed = r.claim ? `${esc(r.claim)}${r.seed === null ? '' : ` (${formatNumber(r.seed)})`}` : formatNumber(r.seed);
  return (
    `<tr><td>${esc(r.quantity)}</td><td${r.claim ? '' : ' class="num"'}>${seed}</td><td class="num">${formatNumber(r.vaelab)}</td>` +
    `<td class="num">${formatNumber(r.distance)}</td><td class="num">${r.tolerance === null ? '–' : `± ${formatNumber(r.tolerance)}`}</td>` +
    `<td class="${VERDICT_CLASS[r.verdict]}">${esc(r.verdict)}</td><td>${esc(r.source)}</td><td class="why">${r.why ? esc(r.why) : ''}</td></tr>`
  );
}

/** Writes the page for `r` into `o.outDir`; returns the path of index.html. */
export async function writeReproductionPage(
  e: Experiment,
  r: Omit<Reproduction, 'report'>,
  o: { runsDir: string; outDir: string },
): Promise<string> {
  const runDir = (run: string) => sweepRunDir(o.runsDir, r.sweep, run);
  const figures = e.figures.map((f) => {
    const path = f.run ? join(runDir(f.run), 'report', f.file) : join(o.outDir, f.file);
    const img = existsSync(path)
      ? `<img src="${esc(relative(o.outDir, path))}"${path.endsWith('.png') ? ' class="px"' : ''} alt="${esc(f.caption)}">`
      : `<p class="notes">not written at this budget (${esc(f.run ? `run ${f.run}: ${f.file}` : f.file)})</p>`;
    return `<figure>${img}<figcaption><b>Seed:</b> ${esc(f.source)}: ${esc(f.shows)}<br><b>vaelab:</b> ${esc(f.caption)}${f.run ? ` (run ${esc(f.run)})` : ''}</figcaption></figure>`;
  });
  const runs = e.runs(r.budget).map((run) => {
    const report = join(runDir(run.name), 'report', 'index.html');
    return existsSync(report) ? `<a href="${esc(relative(o.outDir, report))}">${esc(run.name)}</a>` : esc(run.name);
  });
  const counts = (v: ComparisonRow['verdict'][]) => r.rows.filter((x) => v.includes(x.verdict)).length;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vaelab reproduce: ${esc(e.name)} (${esc(r.budget)})</title><style>${PAGE_CSS}</style></head>
<body><main>
<h1>vaelab reproduce ${esc(e.name)} — seed ${esc(e.seeds.join(', '))}</h1>
<div class="sub">${esc(e.regenerates)}</div>
<p><b>Budget: ${esc(r.budget)}.</b> ${esc(r.budgetNote)} Training ${formatNumber(Math.round(r.trainSeconds))} s over ${e.runs(r.budget).length} runs (sum), measurements ${formatNumber(Math.round(r.measureSeconds))} s.</p>
<p>${counts(['within', 'holds'])} of ${r.rows.length} within the distance expected at this budget (or holding), ${counts(['outside', 'does not hold'])} outside, ${counts(['not expected at this budget', 'not measured'])} with no expectation at this budget or not measured.</p>
<h2>Seed vs vaelab</h2>
<table><tr><th>quantity</th><th>seed</th><th>vaelab</th><th>distance</th><th>expected at this budget</th><th>verdict</th><th>source</th><th>why (where outside)</th></tr>
${r.rows.map(rowHtml).join('\n')}</table>
${figures.length ? `<h2>Figures</h2><div class="figs">${figures.join('')}</div>` : ''}
<h2>Runs</h2><p>Sweep <code>${esc(r.sweep)}</code>: ${runs.join(', ')}.</p>
<details><summary>All measured values</summary><pre>${esc(JSON.stringify(r.values, null, 1))}</pre></details>
</main></body></html>
`;
  const index = join(o.outDir, 'index.html');
  writeFileSync(index, html);
  return index;
}
