/**
 * How long the dashboard takes to list 500 runs (the issue's target: under a second): 500 run
 * folders with a real-sized config.json, a 400-line metrics.jsonl with KL per latent (d = 32) and a
 * summary.json, listed by listRuns, over HTTP (GET /api/runs) and drawn by the page in headless
 * Chromium (/usr/bin/chromium): the time from reload until the first page of rows is on screen, and
 * a re-sort. Prints medians of 5; asserts nothing.
 *
 *   npx tsx bench/web-list.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { listRuns } from '../src/web/runs.js';
import { realRoot } from '../src/web/paths.js';
import { serveDashboard } from '../src/web/server.js';

// page.evaluate callbacks run in the page; this Node project has no DOM types (module-scoped declaration).
declare const document: {
  body: { dataset: Record<string, string | undefined>; getBoundingClientRect(): unknown };
  querySelector(selector: string): { click(): void } | null;
  querySelectorAll(selector: string): { length: number };
};

const N = 500;
const root = mkdtempSync(join(tmpdir(), 'vaelab-bench-list-'));
const config = {
  model: { kind: 'vae', decoder: 'bernoulli', latent: 32, hidden: [512, 256], dataShape: [1, 28, 28] },
  objective: { kind: 'beta', beta: 4 },
  train: { dataset: 'mnist', batch: 100 },
};
const line = (step: number) =>
  JSON.stringify({
    kind: 'train',
    step,
    epoch: step / 600,
    loss: 100,
    elbo: -100,
    reconstruction: -90,
    kl: 10,
    klPerLatent: Array.from({ length: 32 }, (_, i) => i / 10),
    lr: 1e-3,
    beta: 4,
    capacity: 0,
    time: step / 100,
  });
const metrics = Array.from({ length: 400 }, (_, i) => line((i + 1) * 10)).join('\n') + '\n';
for (let i = 0; i < N; i++) {
  const dir = join(root, `run-${String(i).padStart(3, '0')}`);
  mkdirSync(join(dir, 'checkpoints', 'final'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'metrics.jsonl'), metrics);
  if (i % 5 !== 0)
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({ steps: 4000, stopped: 'done', testElbo: -100 - i / 100, testNll: 95, nllK: 500, activeUnits: 12 }),
    );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (f: () => unknown | Promise<unknown>) => {
  const ts: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
};

const real = realRoot(root);
console.log(`listRuns, ${N} runs: ${(await time(() => listRuns(real))).toFixed(0)} ms (median of 5)`);
const server = await serveDashboard({ root, port: 0 });
console.log(
  `GET /api/runs, ${N} runs: ${(await time(async () => (await fetch(`${server.url}api/runs`)).json())).toFixed(0)} ms (median of 5)`,
);
// The page in headless Chromium: from navigation to the drawn table of N rows (bundle cached after the first load).
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
const page = await browser.newPage();
await page.goto(server.url);
await page.waitForFunction(() => document.body.dataset.ready !== undefined);
// The page shows one page of rows at a time (src/web/client/list.ts), sorted and filtered over all N;
// waitForFunction polls on animation frames, so the time includes a frame painted with the table.
const shown = await page.evaluate(() => document.querySelectorAll('#runs-table tbody tr').length);
console.log(
  `the runs page in Chromium, ${N} runs listed (${shown} rows on the first page): ${(
    await time(async () => {
      await page.reload();
      await page.waitForFunction(
        (n) => document.body.dataset.ready !== undefined && document.querySelectorAll('#runs-table tbody tr').length === n,
        shown,
      );
    })
  ).toFixed(0)} ms (median of 5, page reload included)`,
);
const sorts: number[] = [];
for (let k = 0; k < 5; k++) {
  sorts.push(
    await page.evaluate(() => {
      const t0 = performance.now();
      document.querySelector('th[data-key="testElbo"]')!.click(); // sorts and redraws synchronously
      document.body.getBoundingClientRect(); // and lays out
      return performance.now() - t0;
    }),
  );
}
const sort = median(sorts);
console.log(`sorting ${N} runs by a column and drawing the first page: ${sort.toFixed(0)} ms (median of 5)`);
await browser.close();
await server.close();
rmSync(root, { recursive: true, force: true });
