/**
 * The Lab in a real browser (Debian's Chromium, headless, playwright-core): train on rings and on the
 * MNIST subset, β 1 → 8 lowers the KL, the sampling mode changes the grid, the downloaded run is read
 * by `vaelab eval`, no console errors; and the page's first steps equal the same session's steps on
 * onnxruntime-node (one engine, two runtimes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing.js';
import { buildLab } from './build.js';
import { toyDataset } from './data.js';
import { serveLab, type RunningLab } from './server.js';
import { LabSession, type LabSettings, type LabStep } from './session.js';

// The callbacks given to page.evaluate run in the page; this Node project has no DOM types, so these
// describe the little of the page they touch.
interface LabState {
  steps: LabStep[];
  viewsReceived: number;
  ready: boolean;
  backend: string;
  notice?: string;
  settings: LabSettings;
  errors: string[];
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const window: { lab: LabState };
declare const document: { getElementById(id: string): PageCanvas };

const root = mkdtempSync(join(tmpdir(), 'vaelab-lab-'));
let server: RunningLab;
let browser: Browser;
const problems: string[] = [];

/** Opens the Lab (query `q`) in `b` (default: the suite's browser) and waits for its first model. */
async function open(q = '', b = browser): Promise<Page> {
  const page = await b.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.url + q);
  await page.waitForFunction(() => window.lab?.ready, null, { timeout: 60_000 });
  return page;
}

const lab = (page: Page): Promise<LabState> => page.evaluate(() => window.lab);

/** Plays until at least `n` steps in all, then pauses and waits for the worker to go quiet. */
async function trainTo(page: Page, n: number): Promise<LabStep[]> {
  await page.click('#play');
  await page.waitForFunction((k) => window.lab.steps.length >= k, n, { timeout: 120_000, polling: 100 });
  await page.click('#play');
  await page.waitForTimeout(300);
  return (await lab(page)).steps;
}

/** A hash of canvas `id`'s pixels. */
function canvasHash(page: Page, id: string): Promise<number> {
  return page.evaluate((cid) => {
    const c = document.getElementById(cid);
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0;
    return h;
  }, id);
}

/** Waits until the worker has posted views newer than `seen`. */
async function viewsAfter(page: Page, seen: number): Promise<void> {
  await page.waitForFunction((k) => window.lab.viewsReceived > k, seen, { timeout: 30_000 });
  await page.waitForTimeout(100); // one animation frame draws them
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(process.env.VAELAB_QUICK)('the VAE Lab in Chromium', () => {
  beforeAll(async () => {
    await buildLab(join(root, 'public'));
    server = await serveLab({ dir: join(root, 'public'), port: 0 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('trains on rings: the loss falls, the views update, β 1 → 8 lowers the KL, the mode changes the samples, the download evaluates and opens again', async () => {
    const page = await open();
    expect((await lab(page)).backend).toBe('onnxruntime-web');
    const scatter0 = await canvasHash(page, 'scatter');
    const views0 = (await lab(page)).viewsReceived;
    let steps = await trainTo(page, 300);
    const untrained = mean(steps.slice(0, 30).map((s) => s.loss));
    expect(mean(steps.slice(-30).map((s) => s.loss))).toBeLessThan(0.5 * untrained);
    expect((await lab(page)).viewsReceived).toBeGreaterThan(views0);
    expect(await canvasHash(page, 'scatter')).not.toBe(scatter0);

    const klAt1 = mean(steps.slice(-50).map((s) => s.kl));
    await page.$eval('#beta', (el: { value: string; dispatchEvent(e: unknown): boolean }) => {
      el.value = '8';
      el.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('input'));
    });
    steps = await trainTo(page, steps.length + 300);
    const last = steps.slice(-50);
    expect(last.every((s) => s.beta === 8)).toBe(true);
    expect(mean(last.map((s) => s.kl))).toBeLessThan(0.7 * klAt1);

    const before = await canvasHash(page, 'samples');
    const seen = (await lab(page)).viewsReceived;
    await page.click('#mode-ancestral');
    await viewsAfter(page, seen);
    expect(await canvasHash(page, 'samples')).not.toBe(before);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const zip = join(root, download.suggestedFilename());
    await download.saveAs(zip);
    const r = await runCli('eval', zip, '--no-surgery', '--eval-n', '200', '--eval-k', '10', '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const result = JSON.parse(r.out.at(-1)!) as { testElbo: number; runDir: string };
    expect(result.runDir.endsWith(download.suggestedFilename().replace(/\.zip$/, ''))).toBe(true);
    // Trained on the same rings: the test −ELBO is near the page's training loss at β = 1 (a few nats, not ~100).
    expect(-result.testElbo).toBeLessThan(10);

    // The zip opens back in the Lab: training goes on from the downloaded step with the trained parameters.
    const saved = (await lab(page)).steps.at(-1)!.step;
    await page.setInputFiles('#open-run', zip);
    await page.waitForFunction(() => window.lab.ready && window.lab.steps.length === 0, null, { timeout: 60_000 });
    // Adam's moments came back with it: no notice that they start at zero.
    expect((await lab(page)).notice).toBeUndefined();
    const resumed = await trainTo(page, 5);
    expect(resumed[0].step).toBe(saved + 1);
    // The first step's loss is that of the downloaded parameters (trained last at β = 8) on a new batch: far
    // below the untrained model's, though how far depends on when the page applied β = 8.
    expect(resumed[0].loss).toBeLessThan(0.5 * untrained);
    await page.close();
    expect(problems).toEqual([]);
  }, 240_000);

  it('trains on the MNIST subset: the loss falls and the decoded manifold updates', async () => {
    const page = await open();
    await page.selectOption('#dataset', 'mnist');
    await page.waitForFunction(() => window.lab.ready && window.lab.settings.dataset === 'mnist', null, { timeout: 60_000 });
    const manifold0 = await canvasHash(page, 'manifold');
    const steps = await trainTo(page, 60);
    expect(mean(steps.slice(-10).map((s) => s.loss))).toBeLessThan(0.75 * mean(steps.slice(0, 5).map((s) => s.loss)));
    expect(await canvasHash(page, 'manifold')).not.toBe(manifold0);
    await page.close();
    expect(problems).toEqual([]);
  }, 180_000);

  it('gives the same losses as onnxruntime-node for the same seed and data (first 20 steps)', async () => {
    const page = await open('?threads=1');
    const steps = (await trainTo(page, 20)).slice(0, 20);
    const settings = (await lab(page)).settings;
    await page.close();
    const session = await LabSession.create(settings, toyDataset(settings.dataset as 'rings', settings.seed), { threads: 1 });
    const node = await session.train(20);
    writeFileSync(join(root, 'parity.json'), JSON.stringify({ page: steps.map((s) => s.loss), node: node.map((s) => s.loss) }));
    for (let i = 0; i < 20; i++) {
      expect(steps[i].step).toBe(node[i].step);
      expect(Math.abs(steps[i].loss - node[i].loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(node[i].loss)));
      expect(Math.abs(steps[i].kl - node[i].kl)).toBeLessThan(1e-4 * Math.max(1, node[i].kl));
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('trains on WebGPU with ?backend=webgpu (the same losses as wasm), and falls back to wasm with a notice where there is no adapter', async () => {
    // Without a GPU, Chromium's WebGPU runs on SwiftShader (Vulkan on the CPU): this checks the path and the
    // numbers, not GPU speed. --disable-features=WebGPU leaves navigator.gpu without an adapter.
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--enable-unsafe-webgpu'] });
    const noGpu = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--disable-features=WebGPU'] });
    try {
      let page = await open('?backend=webgpu', gpu);
      const state = await lab(page);
      expect(state.notice).toBeUndefined();
      expect(state.backend).toBe('onnxruntime-web (webgpu)');
      const onGpu = (await trainTo(page, 20)).slice(0, 20);
      await page.close();
      page = await open('', gpu);
      const onWasm = (await trainTo(page, 20)).slice(0, 20);
      await page.close();
      // Other kernels, other float32 rounding: the losses agree to ~1e-6 relative (measured), asserted 1e-4.
      for (let i = 0; i < 20; i++)
        expect(Math.abs(onGpu[i].loss - onWasm[i].loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(onWasm[i].loss)));

      page = await open('?backend=webgpu', noGpu);
      const fallback = await lab(page);
      expect(fallback.backend).toBe('onnxruntime-web');
      expect(fallback.notice).toMatch(/^WebGPU not used: .*no GPU adapter; training on wasm$/);
      expect(await page.textContent('#status')).toContain('WebGPU not used');
      const steps = await trainTo(page, 5);
      expect(steps.length).toBeGreaterThanOrEqual(5);
      await page.close();
    } finally {
      await gpu.close();
      await noGpu.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
