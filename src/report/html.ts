/**
 * The report's index.html: one self-contained page (inline CSS, no scripts, no network) with the
 * run's numbers at the top and every picture below it, each with a one-line caption.
 */
import type { RunSummary } from '../train/experiment.js';
import type { VarianceLawRow } from './latents.js';

/** One figure on the page: a file in report/ and its caption. */
export interface Figure {
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  /** Displayed width in CSS pixels (default: the file's own). */
  readonly width?: number;
}

/** A section of figures. */
export interface Section {
  readonly title: string;
  readonly figures: readonly Figure[];
  /** Extra HTML under the figures (a table of numbers). */
  readonly html?: string;
}

/** What the page shows. */
export interface PageContent {
  readonly runName: string;
  readonly summary: RunSummary | null;
  /** Config lines (label, value) for the table, and the whole config as JSON. */
  readonly configRows: ReadonlyArray<readonly [string, string]>;
  readonly configJson: string;
  readonly sections: readonly Section[];
  readonly varianceLaw: readonly VarianceLawRow[] | null;
  readonly activeThreshold: number;
  readonly encodedN: number;
  readonly encodedSplit: string;
  readonly notes: readonly string[];
  /** HTML of the measurement tables (report/measurements.ts), after the sections. */
  readonly measurements?: string;
}

/** HTML-escapes text. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** The report pages' stylesheet. */
export const CSS = `
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 22px; font-weight: 600; margin: 0 0 4px; }
h2 { font-size: 17px; font-weight: 600; margin: 36px 0 12px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #666; margin-bottom: 20px; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table { border-collapse: collapse; background: #fff; border: 1px solid #e3e3e3; }
td, th { padding: 4px 12px; text-align: left; border-bottom: 1px solid #eee; font-variant-numeric: tabular-nums; }
th { font-weight: 600; color: #444; background: #f3f3f3; }
td.num { text-align: right; font-family: ui-monospace, Menlo, Consolas, monospace; }
.figs { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #e3e3e3; padding: 12px; width: min-content; max-width: 100%; box-sizing: border-box; }
figure img { display: block; height: auto; }
figure img.px { image-rendering: pixelated; }
figcaption { color: #555; font-size: 13px; margin-top: 8px; min-width: 320px; }
figcaption b { color: #222; font-weight: 600; }
details { margin-top: 12px; }
pre { background: #fff; border: 1px solid #e3e3e3; padding: 12px; overflow: auto; font-size: 12px; }
.notes { color: #8a6d3b; }
`;

function figureHtml(f: Figure): string {
  const px = f.file.endsWith('.png') ? ' class="px"' : '';
  const width = f.width ? ` width="${f.width}"` : '';
  return `<figure><img src="${esc(f.file)}"${px}${width} alt="${esc(f.title)}"><figcaption><b>${esc(f.title)}.</b> ${esc(f.caption)}</figcaption></figure>`;
}

function summaryTable(s: RunSummary | null, d: number | null): string {
  if (!s) return '<p>No summary.json: the run did not finish.</p>';
  const rows: Array<[string, string]> = [
    ['test ELBO', `${fmt(s.testElbo)} nats`],
    ['reconstruction E<sub>q</sub>[log p(x|z)]', `${fmt(s.testReconstruction)} nats`],
    ['KL(q(z|x) ‖ p(z))', `${fmt(s.testKl)} nats`],
    [`NLL (importance sampling, K = ${s.nllK})`, s.testNll === null ? '–' : `${fmt(s.testNll)} nats`],
    ['active units (Var μ > 0.01)', s.activeUnits === null ? '–' : `${s.activeUnits}${d ? ` / ${d}` : ''}`],
    ['test examples evaluated', s.evalN ? String(s.evalN) : '–'],
    ['best validation ELBO', s.bestValidationElbo === null ? '–' : `${fmt(s.bestValidationElbo)} nats`],
    ['steps / epochs', `${s.steps} / ${fmt(s.epochs)} (${esc(s.stopped)})`],
    ['time per epoch', `${fmt(s.secPerEpoch)} s`],
    ['time per step (median)', `${fmt(s.msPerStep)} ms`],
  ];
  return `<table><tr><th colspan="2">Results</th></tr>${rows.map(([k, v]) => `<tr><td>${k}</td><td class="num">${v}</td></tr>`).join('')}</table>`;
}

function lawTable(law: readonly VarianceLawRow[], threshold: number): string {
  const sorted = [...law].sort((a, b) => b.varMu - a.varMu || a.latent - b.latent);
  const rows = sorted.map(
    (r) =>
      `<tr><td>z${r.latent}</td><td class="num">${r.varMu.toFixed(4)}</td><td class="num">${r.meanSigma2.toFixed(4)}</td><td class="num">${(r.varMu + r.meanSigma2).toFixed(4)}</td><td class="num">${r.kl === null ? '–' : r.kl.toFixed(4)}</td><td>${r.varMu > threshold ? 'active' : ''}</td></tr>`,
  );
  return `<details><summary>Per-latent numbers (variance law and KL)</summary><table><tr><th>latent</th><th>Var<sub>x</sub>[μ(x)]</th><th>E<sub>x</sub>[σ²(x)]</th><th>sum</th><th>KL (nats)</th><th></th></tr>${rows.join('')}</table></details>`;
}

/** The page's HTML. */
export function renderPage(c: PageContent): string {
  const d = c.varianceLaw ? c.varianceLaw.length : null;
  const config = `<table><tr><th colspan="2">Configuration</th></tr>${c.configRows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`;
  const sections = c.sections
    .filter((s) => s.figures.length > 0)
    .map(
      (s) =>
        `<h2>${esc(s.title)}</h2><div class="figs">${s.figures.map(figureHtml).join('')}</div>${s.title === 'Latent space' && c.varianceLaw ? lawTable(c.varianceLaw, c.activeThreshold) : ''}${s.html ?? ''}`,
    )
    .join('\n');
  const notes = c.notes.length ? `<p class="notes">${c.notes.map(esc).join('<br>')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vaelab report: ${esc(c.runName)}</title><style>${CSS}</style></head>
<body><main>
<h1>vaelab report: ${esc(c.runName)}</h1>
<div class="sub">Pictures from ${c.encodedN} ${esc(c.encodedSplit)} examples and the final checkpoint. Nats per example throughout.</div>
<div class="tables">${summaryTable(c.summary, d)}${config}</div>
${notes}
${sections}
${c.measurements ?? ''}
<details><summary>config.json</summary><pre>${esc(c.configJson)}</pre></details>
</main></body></html>
`;
}
