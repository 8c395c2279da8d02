/** The reproductions written under a runs folder (for the dashboard and `vaelab reproduce --list`). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSS } from '../report/html.js';
import type { Reproduction } from './runner.js';

/** A reproduction in a listing. */
export interface ReproductionListing {
  readonly experiment: string;
  readonly budget: string;
  /** The sweep folder's name under the runs folder. */
  readonly sweep: string;
  /** The report, relative to the runs folder. */
  readonly report: string;
  readonly within: number;
  readonly outside: number;
  readonly rows: number;
}

/** The reproductions under `runsDir`: sweep folders holding `reproduction/reproduction.json`. */
export function listReproductions(runsDir: string): ReproductionListing[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, 'reproduction', 'reproduction.json')))
    .map((d) => {
      const r = JSON.parse(readFileSync(join(runsDir, d.name, 'reproduction', 'reproduction.json'), 'utf8')) as Reproduction;
      return {
        experiment: r.experiment,
        budget: r.budget,
        sweep: d.name,
        report: join(d.name, 'reproduction', 'index.html'),
        rows: r.rows.length,
        within: r.rows.filter((x) => x.verdict === 'within' || x.verdict === 'holds').length,
        outside: r.rows.filter((x) => x.verdict === 'outside' || x.verdict === 'does not hold').length,
      };
    })
    .sort((a, b) => a.sweep.localeCompare(b.sweep));
}

/** An HTML page linking each reproduction's report under `base` (the dashboard's `/reproduce/`). */
export function reproductionsIndexHtml(list: readonly ReproductionListing[], base: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const rows = list.map(
    (l) =>
      `<tr><td><a href="${esc(base + l.report)}">${esc(l.experiment)}</a></td><td>${esc(l.budget)}</td><td class="num">${l.within}</td><td class="num">${l.outside}</td><td class="num">${l.rows}</td></tr>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>vaelab reproductions</title><style>${CSS}</style></head><body><main>
<h1>vaelab reproductions</h1><div class="sub">Written by <code>vaelab reproduce NAME --budget B --runs-dir</code> this folder.</div>
${list.length ? `<table><tr><th>experiment</th><th>budget</th><th>within / holds</th><th>outside</th><th>rows</th></tr>${rows.join('')}</table>` : '<p>None yet.</p>'}
</main></body></html>
`;
}
