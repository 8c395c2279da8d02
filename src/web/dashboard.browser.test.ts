/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core, over
 * real runs (two small trained MNIST VAEs with reports, and a training process started by the test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../report/report.js';
import { writePlan } from '../sweep/layout.js';
import { runLocalPool } from '../sweep/pool.js';
import { expandSweep, parseSweepSpec } from '../sweep/spec.js';
import { TINY_FLAGS } from '../sweep/testing/tiny.js';
import { runExperiment, type RunSummary } from '../train/experiment.js';
import { serveDashboard, type RunningDashboard } from './server.js';

// The callbacks given to page.evaluate run in the page; this Node project has no DOM types, so these
// describe the little of the DOM they touch (module-scoped: they type the callbacks, nothing else).
interface HTMLImageElement {
  naturalWidth: number;
  naturalHeight: number;
  complete: boolean;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(i: HTMLImageElement, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  createElement(tag: 'canvas'): PageCanvas;
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

const CHROMIUM = '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'vaelab-dashboard-'));
const repo = resolve(import.meta.dirname, '..', '..');

const tiny = (beta: number) => ({
  model: { kind: 'vae', decoder: 'bernoulli', latent: 2, hidden: [32] },
  objective: { kind: beta === 1 ? 'elbo' : 'beta', beta },
  train: { dataset: 'mnist', binarize: 'static', trainN: 500, batch: 50, maxSteps: 60, validation: 100, threads: 1, logEvery: 5 },
  eval: { k: 5, n: 50 },
});

/** Starts `vaelab train` from the sources as a separate process writing into root/NAME. */
function startTraining(name: string): ChildProcess {
  const code = "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));";
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      code,
      '--',
      'train',
      '--train-n',
      '1000',
      '--batch',
      '50',
      '--latent',
      '2',
      '--hidden',
      '32',
      '--epochs',
      '100000',
      '--max-steps',
      '1000000',
      '--validation',
      '100',
      '--threads',
      '1',
      '--no-eval',
      '--no-report',
      '--quiet',
      '--out',
      join(root, name),
    ],
    { cwd: repo, stdio: 'ignore' },
  );
}

/** A hash of the pixels of image `selector` as the page shows it (drawn into a canvas). */
function imageHash(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (img: HTMLImageElement) => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0;
    return `${c.width}x${c.height}:${h}`;
  });
}

describe.skipIf(process.env.VAELAB_QUICK)('vaelab serve in Chromium', () => {
  let browser: Browser;
  let server: RunningDashboard;
  let live: ChildProcess;
  let page: Page;
  const summaries: Record<string, RunSummary> = {};
  const errors: string[] = [];

  const open = async (hash: string, timeout = 30_000) => {
    await page.goto(server.url + hash);
    await page.waitForFunction((h) => document.body.dataset.ready === h, hash, { timeout });
  };

  beforeAll(async () => {
    live = startTraining('live');
    for (const [name, beta] of [
      ['beta1', 1],
      ['beta4', 4],
    ] as const) {
      summaries[name] = await runExperiment(tiny(beta), {
        out: join(root, name),
        report: async (dir) => (await writeReport(dir, { n: 200, samples: 16 })).index,
      });
    }
    // a sweep of two short runs (latent 2 and 3), run by the local pool as `vaelab sweep` does
    const plan = expandSweep(parseSweepSpec({ name: 'dims', base: { ...TINY_FLAGS, maxSteps: 40 }, grid: { latent: [2, 3] } }));
    writePlan(root, plan);
    await runLocalPool(plan, root, { concurrency: 1 });
    server = await serveDashboard({ root, port: 0, pollMs: 200 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => errors.push(e.message));
    // the live run has written its first records
    for (let i = 0; i < 600 && !existsSync(join(root, 'live', 'metrics.jsonl')); i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    if (live && live.exitCode === null) live.kill('SIGKILL');
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the runs with their status, sorts and filters them', async () => {
    await open('#/');
    const rows = page.locator('#runs-table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.getAttribute('tr[data-run="live"]', 'data-status')).toBe('training');
    expect(await page.getAttribute('tr[data-run="beta1"]', 'data-status')).toBe('done');
    const elboText = (await page.locator('tr[data-run="beta4"] td').nth(10).textContent())!;
    expect(Number(elboText)).toBeCloseTo(summaries.beta4.testElbo!, 2);
    // sort by test ELBO: highest first, the live run (no ELBO) last
    await page.click('th[data-key="testElbo"]');
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')));
    const [hi, lo] = summaries.beta1.testElbo! > summaries.beta4.testElbo! ? ['beta1', 'beta4'] : ['beta4', 'beta1'];
    expect(order).toEqual([hi, lo, 'live']);
    await page.fill('#filter', 'β=4');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-run')).toBe('beta4');
  });

  it('opens a run: numbers, curves from metrics.jsonl and the report pictures', async () => {
    await open('#/run/beta1');
    expect(Number(await page.textContent('#summary td[data-key="testElbo"]'))).toBeCloseTo(summaries.beta1.testElbo!, 2);
    const lines = readFileSync(join(root, 'beta1', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    const elboPoints = Number(await page.getAttribute('.chart[data-title="ELBO"]', 'data-points'));
    expect(elboPoints).toBe(lines.length); // every train record and every validation pass
    expect(await page.locator('.chart[data-title="ELBO"] canvas').count()).toBe(1);
    // the evolution of each latent: one point per latent (d = 2) per validation record's snapshot
    const validations = lines.filter((l) => l.kind === 'validation' && 'latents' in l).length;
    expect(validations).toBeGreaterThan(0);
    for (const stat of ['Var_x', 'E_x Var'])
      expect(Number(await page.getAttribute(`.chart[data-title^="${stat}"]`, 'data-points'))).toBe(2 * validations);
    const imgs = page.locator('.figures img');
    expect(await imgs.count()).toBeGreaterThanOrEqual(8);
    await expect
      .poll(() => imgs.evaluateAll((els) => els.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);
  });

  it('compares two runs: config differences highlighted, curves overlaid, pictures side by side', async () => {
    await open('#/');
    await page.check('input[data-pick="beta1"]');
    await page.check('input[data-pick="beta4"]');
    await page.click('#compare-button');
    await page.waitForFunction(() => document.body.dataset.ready?.startsWith('#/compare/'));
    expect(page.url()).toMatch(/#\/compare\/(beta1,beta4|beta4,beta1)$/);
    const differing = await page.locator('#compare-table tr.differs').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(differing).toEqual(expect.arrayContaining(['objective.kind', 'objective.beta']));
    expect(differing).not.toContain('model.latent');
    const elbo = page.locator('.chart').first();
    const lines = ['beta1', 'beta4'].map(
      (n) =>
        readFileSync(join(root, n, 'metrics.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l.includes('"kind":"train"')).length,
    );
    expect(Number(await elbo.getAttribute('data-points'))).toBe(lines[0] + lines[1]);
    const row = page.locator('.side-by-side').first();
    expect(await row.locator('img').count()).toBe(2);
    await expect
      .poll(() => page.locator('.side-by-side img').evaluateAll((els) => els.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);
  });

  it('follows a training process: the curves grow without a reload', async () => {
    await open('#/run/live');
    expect(await page.textContent('#run-status')).toBe('training');
    const points = () => page.getAttribute('.chart[data-title="ELBO"]', 'data-points').then(Number);
    const before = await points();
    await page.waitForFunction(
      (n) => Number(document.querySelector('.chart[data-title="ELBO"]')?.getAttribute('data-points')) > n + 5,
      before,
      { timeout: 60_000 },
    );
    // the per-latent variances grow too: a validation pass adds a point per latent
    const variances = await page.getAttribute('.chart[data-title^="Var_x"]', 'data-points').then(Number);
    await page.waitForFunction(
      (n) => Number(document.querySelector('.chart[data-title^="Var_x"]')?.getAttribute('data-points')) >= n + 2,
      variances,
      { timeout: 60_000 },
    );
    const perLatent = page.locator('.chart[data-title^="KL per latent"]');
    expect(Number(await perLatent.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.textContent('#live')).toMatch(/^live · step \d+$/);
    // the page never reloaded: the event stream appended to the same chart
    expect(await points()).toBeGreaterThan(before);
  });

  it('lists the sweeps, shows one with its table and cross-run figures, and opens its runs', async () => {
    await open('#/sweeps');
    expect(await page.textContent('tr[data-sweep="dims"] td.num')).toBe('2 / 2');
    await page.click('tr[data-sweep="dims"] a');
    await page.waitForFunction(() => document.body.dataset.ready === '#/sweep/dims');
    const rows = page.locator('#sweep-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-run')}:${tr.getAttribute('data-state')}`))).toEqual([
      'latent-2:done',
      'latent-3:done',
    ]);
    // one figure per result against the latent size, each drawn by vega-embed (an SVG or a canvas)
    const charts = page.locator('#sweep-charts figure');
    expect(await charts.count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('#sweep-charts figure .vega :is(svg, canvas)').count()).toBe(await charts.count());
    await page.click('#sweep-table a:text("latent-3")');
    await page.waitForFunction(() => document.body.dataset.ready?.startsWith('#/run/'));
    expect(await page.textContent('#run-status')).toBe('done');
    expect(Number(await page.getAttribute('.chart[data-title="ELBO"]', 'data-points'))).toBeGreaterThan(0);
  });

  it('decodes the point dragged in the latent plane, in each mode, and encodes a test image', async () => {
    await open('#/explore/beta1', 90_000); // loading the model encodes 1,000 test images: slow on a loaded machine
    const z0 = await page.getAttribute('#decoded', 'data-z');
    expect(z0).toBe('0.0000,0.0000');
    const h0 = await imageHash(page, '#decoded');
    expect(h0).toMatch(/^168x168:/);
    const box = (await page.locator('#plane').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.1, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((z) => document.querySelector('#decoded')?.getAttribute('data-z') !== z, z0);
    await page.waitForSelector('#decoded:not([data-busy])'); // the drag's last point decoded, no request left
    await expect
      .poll(async () => {
        const [x, y] = (await page.getAttribute('#decoded', 'data-z'))!.split(',').map(Number);
        return x > 1 && y > 1; // right and up in the plane: both latents positive
      })
      .toBe(true);
    const h1 = await imageHash(page, '#decoded');
    expect(h1).not.toBe(h0);
    // ancestral: binary pixels drawn from p(x|z)
    const z1 = await page.getAttribute('#decoded', 'data-z');
    await page.selectOption('#mode', 'ancestral');
    await expect.poll(() => imageHash(page, '#decoded')).not.toBe(h1);
    await page.waitForSelector('#decoded:not([data-busy])');
    expect(await page.getAttribute('#decoded', 'data-z')).toBe(z1);
    await page.fill('#example-index', '3');
    await page.click('#encode');
    await expect.poll(() => page.textContent('#posterior')).toMatch(/test image 3, label \d: q\(z\|x\)/);
    await expect.poll(() => page.$eval('#example', (i) => (i as HTMLImageElement).naturalWidth)).toBe(168);
    expect(errors).toEqual([]);
  });
});
