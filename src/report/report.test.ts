import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { toBatch } from '../data/batches.js';
import { range } from '../data/dataset.js';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { encode } from '../models/generate.js';
import { loadRun, runExperiment, type RunConfigInput, type RunSummary } from '../train/experiment.js';
import { gridSize } from './canvas.js';
import { normalQuantile } from './latents.js';
import { writeReport, type ReportResult } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = (model: Record<string, unknown>, binarize: string): RunConfigInput => ({
  model: { kind: 'vae', hidden: [16], ...model },
  train: { dataset: 'mnist', binarize, trainN: 300, batch: 30, maxSteps: 12, validation: 100, threads: 1, logEvery: 5 },
  eval: { k: 5, n: 50 },
});

const MNIST = { c: 1, h: 28, w: 28 } as const;

/** The children of the first mark group of `kind` (rect, line, symbol) in a vega SVG. */
function markCount(svg: string, kind: string): number {
  const start = svg.indexOf(`class="mark-${kind} role-mark`);
  expect(start, `a ${kind} mark group`).toBeGreaterThan(-1);
  const body = svg.slice(start, svg.indexOf('</g>', start));
  return (body.match(/<path /g) ?? []).length;
}

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

describe('writeReport', () => {
  let dir: string;
  let summary: RunSummary;
  let report: ReportResult;
  const d = 5;

  beforeAll(async () => {
    dir = join(root, 'bern');
    // The hook runExperiment calls at the end of a run (the CLI passes the same).
    summary = await runExperiment(tiny({ decoder: 'bernoulli', latent: d }, 'static'), {
      out: dir,
      report: async (runDir) => (report = await writeReport(runDir, { n: 300, samples: 16 })).index,
    });
  });

  it('is written at the end of a run and its index.html references every picture', () => {
    expect(summary.report).toBe(join(dir, 'report', 'index.html'));
    const html = readFileSync(summary.report!, 'utf8');
    expect(report.files).toEqual(
      expect.arrayContaining([
        'reconstructions.png',
        'samples-ancestral.png',
        'samples-mean.png',
        'traversals.png',
        'elbo.svg',
        'kl.svg',
        'kl-curves.svg',
        'kl-per-latent.svg',
        'variance-law.svg',
        'latent-scatter.svg',
      ]),
    );
    expect(report.files).not.toContain('samples-alpha.png'); // Bernoulli decoder: no σ_x
    expect(report.files).not.toContain('manifold.png'); // d = 5
    for (const f of report.files) {
      expect(existsSync(join(dir, 'report', f)), f).toBe(true);
      expect(html, f).toContain(`src="${f}"`);
    }
    expect(html).toContain(summary.testElbo!.toFixed(2));
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('writes PNGs that decode with the grid sizes', () => {
    for (const p of report.pictures) {
      const png = readPng(join(dir, 'report', p.file));
      expect([png.width, png.height], p.file).toEqual([p.width, p.height]);
    }
    const rec = readPng(join(dir, 'report', 'reconstructions.png'));
    expect([rec.width, rec.height]).toEqual(Object.values(gridSize(MNIST, { rows: 12, cols: 16, groupRows: 2 })));
    const s = readPng(join(dir, 'report', 'samples-mean.png'));
    expect([s.width, s.height]).toEqual(Object.values(gridSize(MNIST, { rows: 4, cols: 4 })));
    const t = readPng(join(dir, 'report', 'traversals.png'));
    expect([t.width, t.height]).toEqual(Object.values(gridSize(MNIST, { rows: d, cols: 11 })));
  });

  it('charts the variance law with E[σ²] and Var[μ] of the encoder, one bar per latent and part', async () => {
    // Independently of the report's encoder loop: the first 300 test images through q(z|x) in the float64
    // reference interpreter (static binarization: the inputs are fixed 0/1 images).
    const run = await loadRun(dir);
    expect(run.data.preprocess).toBe('grey');
    const x = toBatch(run.data.test!, range(0, 300), { preprocess: run.data.preprocess });
    const q = encode(run.model, input('x', [300, 784]));
    const [muAll, sigmaAll] = interpret([q.mu, q.sigma], { x });
    const law = report.varianceLaw!;
    expect(law).toHaveLength(d);
    for (let i = 0; i < d; i++) {
      const mu = Array.from({ length: 300 }, (_, r) => muAll[r * d + i]);
      const s2 = Array.from({ length: 300 }, (_, r) => sigmaAll[r * d + i] ** 2);
      const m = mu.reduce((a, b) => a + b, 0) / mu.length;
      const varMu = mu.reduce((a, b) => a + (b - m) ** 2, 0) / mu.length;
      const meanS2 = s2.reduce((a, b) => a + b, 0) / s2.length;
      expect(law[i].latent).toBe(i);
      expect(law[i].varMu).toBeCloseTo(varMu, 4);
      expect(law[i].meanSigma2).toBeCloseTo(meanS2, 4);
    }
    const svg = readFileSync(join(dir, 'report', 'variance-law.svg'), 'utf8');
    expect(markCount(svg, 'rect')).toBe(2 * d);
    expect(markCount(readFileSync(join(dir, 'report', 'kl-per-latent.svg'), 'utf8'), 'rect')).toBe(d);
    // A line per latent: vega draws each series of a multi-line mark in its own mark-line group.
    const curves = readFileSync(join(dir, 'report', 'kl-curves.svg'), 'utf8');
    expect(curves.match(/class="mark-line role-mark/g)).toHaveLength(d);
    // The scatter uses the two latents with the largest Var μ.
    const top = [...law]
      .sort((a, b) => b.varMu - a.varMu)
      .slice(0, 2)
      .map((r) => r.latent);
    expect(report.scatterLatents).toEqual(top);
  });

  it('draws the manifold, the scatter and μ_x + α σ_x for a 2-D Gaussian model', async () => {
    const dir2 = join(root, 'gauss2d');
    await runExperiment(tiny({ decoder: 'gaussian', latent: 2 }, 'none'), { out: dir2 });
    expect(existsSync(join(dir2, 'report'))).toBe(false); // no hook, no report
    const r = await writeReport(dir2, { n: 200, samples: 9 });
    expect(r.files).toEqual(expect.arrayContaining(['manifold.png', 'latent-scatter.svg', 'samples-alpha.png']));
    expect(r.scatterLatents).toEqual([0, 1]);
    const m = readPng(join(dir2, 'report', 'manifold.png'));
    expect([m.width, m.height]).toEqual(Object.values(gridSize(MNIST, { rows: 20, cols: 20, scale: 1, gap: 1 })));
    expect(markCount(readFileSync(join(dir2, 'report', 'latent-scatter.svg'), 'utf8'), 'symbol')).toBe(200);
    const html = readFileSync(r.index, 'utf8');
    for (const f of r.files) expect(html, f).toContain(`src="${f}"`);
  });
});

describe('vaelab report / train --no-report', () => {
  it('regenerates a report from the command line and skips it with --no-report', async () => {
    const dir = join(root, 'cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const flags = [
      '--train-n',
      '300',
      '--batch',
      '30',
      '--max-steps',
      '5',
      '--latent',
      '2',
      '--hidden',
      '16',
      '--validation',
      '100',
      '--eval-k',
      '0',
      '--eval-n',
      '50',
      '--threads',
      '1',
      '--quiet',
    ];
    expect(await main(['train', ...flags, '--no-report', '--out', dir], io), err.join('\n')).toBe(0);
    expect(existsSync(join(dir, 'report'))).toBe(false);
    expect(out.some((l) => l.startsWith('report:'))).toBe(false);
    expect(await main(['report', dir, '--eval-n', '100'], io), err.join('\n')).toBe(0);
    expect(out[out.length - 1]).toBe(`report: ${join(dir, 'report', 'index.html')}`);
    expect(existsSync(join(dir, 'report', 'manifold.png'))).toBe(true);
    expect(await main(['report', join(root, 'nope')], io)).toBe(1);
    expect(err[err.length - 1]).toMatch(/not a run directory/);
  });
});

describe('normalQuantile', () => {
  it('inverts the standard normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
  });
});
