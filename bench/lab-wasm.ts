/**
 * The Lab's training speed: steps per second of the same model, batch and data in headless Chromium
 * (onnxruntime-web, wasm, 1 and 2 threads, the Lab page as users run it, views included) and in Node
 * (onnxruntime-node, the same LabSession code), with the ratio; and the page's frames per second
 * while it trains (requestAnimationFrame count); and the page on WebGPU (`?backend=webgpu`, 1 thread). Without
 * a GPU, Chromium's WebGPU is SwiftShader on the CPU: that row shows the path works, not GPU speed.
 * Run: `npx tsx bench/lab-wasm.ts [seconds]`.
 * Timings on a shared machine are noisy; compare the ratios of runs taken one after the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildLab, mnistSubsetBytes } from '../src/lab/build.js';
import { mnistSubset, toyDataset } from '../src/lab/data.js';
import { serveLab } from '../src/lab/server.js';
import { LabSession, defaultSettings, type LabSettings } from '../src/lab/session.js';
import type { Dataset } from '../src/data/dataset.js';

const seconds = Number(process.argv[2] ?? 8);
const root = mkdtempSync(join(tmpdir(), 'vaelab-lab-bench-'));
await buildLab(join(root, 'public'));
const server = await serveLab({ dir: join(root, 'public'), port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--enable-unsafe-webgpu'] });

interface PageState {
  steps: unknown[];
  frames: number;
  ready: boolean;
  threads: number;
  backend: string;
}
declare const window: { lab: PageState };

/** Steps/s and frames/s of the page training for `seconds` after a 2 s warm-up. */
async function pageRate(dataset: string, threads: number): Promise<{ stepsPerSecond: number; fps: number; threads: number }> {
  const page = await browser.newPage();
  await page.goto(`${server.url}?threads=${threads}&dataset=${dataset}`);
  await page.waitForFunction(() => window.lab?.ready, null, { timeout: 60_000 });
  await page.click('#play');
  await page.waitForTimeout(2000);
  const a = await page.evaluate(() => ({
    steps: window.lab.steps.length,
    frames: window.lab.frames,
    t: performance.now(),
    threads: window.lab.threads,
  }));
  await page.waitForTimeout(1000 * seconds);
  const b = await page.evaluate(() => ({ steps: window.lab.steps.length, frames: window.lab.frames, t: performance.now() }));
  await page.close();
  const s = (b.t - a.t) / 1000;
  return { stepsPerSecond: (b.steps - a.steps) / s, fps: (b.frames - a.frames) / s, threads: a.threads };
}

/** Steps/s of the page on WebGPU: the time of two bursts after the first (sessions are built during the first). */
async function webGpuRate(dataset: string): Promise<{ stepsPerSecond: number; backend: string }> {
  const page = await browser.newPage();
  await page.goto(`${server.url}?dataset=${dataset}&backend=webgpu`);
  await page.waitForFunction(() => window.lab?.ready, null, { timeout: 60_000 });
  await page.click('#play');
  await page.waitForFunction(() => window.lab.steps.length > 0, null, { timeout: 600_000 });
  const a = await page.evaluate(() => ({ steps: window.lab.steps.length, t: performance.now(), backend: window.lab.backend }));
  await page.waitForFunction((n) => window.lab.steps.length >= 3 * n, a.steps, { timeout: 600_000 });
  const b = await page.evaluate(() => ({ steps: window.lab.steps.length, t: performance.now() }));
  await page.close();
  return { stepsPerSecond: (1000 * (b.steps - a.steps)) / (b.t - a.t), backend: a.backend };
}

/** Steps/s of the same session on onnxruntime-node. */
async function nodeRate(settings: LabSettings, data: Dataset, threads: number): Promise<number> {
  const session = await LabSession.create(settings, data, { threads });
  const burst = data.shape.length > 1 ? 5 : 20;
  const until = performance.now() + 2000;
  while (performance.now() < until) await session.train(burst);
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 1000 * seconds) n += (await session.train(burst)).length;
  return (1000 * n) / (performance.now() - t);
}

try {
  for (const dataset of ['rings', 'mnist'] as const) {
    const settings = defaultSettings(dataset);
    const data = dataset === 'mnist' ? mnistSubset(mnistSubsetBytes()) : toyDataset(dataset, settings.seed);
    console.log(
      `${dataset}: VAE ${data.shape.join('×')}-${settings.hidden.join('-')}-${settings.latent}, batch ${settings.batch}, Adam, ${seconds} s each`,
    );
    for (const threads of [1, 2]) {
      const web = await pageRate(dataset, threads);
      const node = await nodeRate(settings, data, threads);
      console.log(
        `  ${threads} thread${threads > 1 ? 's' : ' '}: page (onnxruntime-web wasm, ${web.threads} thread${web.threads > 1 ? 's' : ''}) ${web.stepsPerSecond.toFixed(1)} steps/s at ${web.fps.toFixed(0)} fps` +
          ` | node (onnxruntime-node) ${node.toFixed(1)} steps/s | web/node ${(web.stepsPerSecond / node).toFixed(2)}`,
      );
    }
    const gpu = await webGpuRate(dataset);
    console.log(`  page on ${gpu.backend}: ${gpu.stepsPerSecond.toFixed(2)} steps/s`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
