/**
 * The Lab's Web Worker: owns the {@link LabSession} and trains it on onnxruntime-web, so the page's
 * main thread only draws. While playing it runs bursts of steps, posts their terms, and refreshes the
 * views about three times a second.
 */
import { configureWebBackend, webBackend } from '../../engine/webBackend.js';
import { configureWebGpuBackend, webGpuUnavailable, webgpuBackend } from '../../engine/webgpuBackend.js';
import { clearSessionCache, runtimeBackend, setRuntimeBackend } from '../../engine/runtime.js';
import type { Dataset } from '../../data/dataset.js';
import { mnistSubset, toyDataset } from '../data.js';
import type { FromWorker, LabBackend, ToWorker } from '../protocol.js';
import { labRunArchive, openRunArchive } from '../runArchive.js';
import { LabSession, type LabSettings } from '../session.js';
import { computeViews, type SampleMode } from '../views.js';

const post = (m: FromWorker, transfer: Transferable[] = []): void => self.postMessage(m, { transfer });

let session: LabSession | null = null;
let playing = false;
let busy: Promise<void> = Promise.resolve();
let view: { mode: SampleMode; alpha: number } = { mode: 'mean', alpha: 1 };
let mnistUrl = '';
let mnist: Dataset | null = null;
let threads = 1;
let lastViews = 0;
/** Why the WebGPU backend asked for is not used (shown on the page), or undefined. */
let notice: string | undefined;

/** Puts the engine on the backend asked for; WebGPU only where an adapter exists, else wasm with a notice. */
async function useBackend(asked: LabBackend, wasmPaths: string): Promise<void> {
  configureWebBackend({ wasmPaths, threads });
  setRuntimeBackend(webBackend);
  if (asked !== 'webgpu') return;
  const why = await webGpuUnavailable();
  if (why) {
    notice = `WebGPU not used: ${why}; training on wasm`;
    return;
  }
  configureWebGpuBackend({ wasmPaths, threads });
  setRuntimeBackend(webgpuBackend);
}

async function dataFor(s: LabSettings): Promise<Dataset> {
  if (s.dataset !== 'mnist') return toyDataset(s.dataset, s.seed);
  if (!mnist) mnist = mnistSubset(new Uint8Array(await (await fetch(mnistUrl)).arrayBuffer()));
  return mnist;
}

/** A new session for `s`; `restore` may set its state and return a sentence for the page. */
async function reset(s: LabSettings, restore?: (session: LabSession) => string | undefined): Promise<void> {
  const data = await dataFor(s);
  try {
    session = await LabSession.create(s, data);
  } catch (e) {
    if (runtimeBackend() !== webgpuBackend) throw e;
    // A WebGPU session that fails to build (device lost, a driver limit) leaves the Lab on wasm.
    notice = `WebGPU not used: ${e instanceof Error ? e.message : String(e)}; training on wasm`;
    await clearSessionCache();
    setRuntimeBackend(webBackend);
    session = await LabSession.create(s, data);
  }
  const restored = restore?.(session);
  const notices = [notice, restored].filter((n) => n !== undefined).join(' · ') || undefined;
  post({ type: 'ready', backend: runtimeBackend().name, threads, dataset: s.dataset, n: data.n, notice: notices });
  await sendViews();
}

async function sendViews(): Promise<void> {
  if (!session) return;
  const v = await computeViews(session, view.mode, view.alpha);
  lastViews = performance.now();
  post({ type: 'views', views: v });
}

async function burst(n: number): Promise<void> {
  if (!session) return;
  const t = performance.now();
  const steps = await session.train(n);
  post({ type: 'steps', steps, stepsPerSecond: (1000 * n) / (performance.now() - t) });
  if (performance.now() - lastViews > 300 || !playing) await sendViews();
}

/** Runs `job` after the previous one, reporting failures to the page. */
function queue(job: () => Promise<void>): void {
  busy = busy.then(job).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
}

function loop(): void {
  if (!playing) return;
  queue(async () => {
    await burst(session && session.data.shape.length > 1 ? 5 : 20);
    setTimeout(loop, 0);
  });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'init':
      threads = m.threads;
      mnistUrl = m.mnistUrl;
      queue(async () => {
        await useBackend(m.backend, m.wasmPaths);
        await reset(m.settings);
      });
      break;
    case 'reset':
      playing = false;
      queue(() => reset(m.settings));
      break;
    case 'play':
      if (!playing) {
        playing = true;
        loop();
      }
      break;
    case 'pause':
      playing = false;
      break;
    case 'step':
      queue(() => burst(m.n));
      break;
    case 'hyper':
      queue(async () => session?.setHyper(m));
      break;
    case 'view':
      view = { mode: m.mode, alpha: m.alpha };
      queue(sendViews);
      break;
    case 'open':
      playing = false;
      queue(async () => {
        // Training on continues with the checkpoint's Adam moments where they fit (the page says when not).
        const run = openRunArchive(m.bytes);
        post({ type: 'opened', settings: run.settings, step: run.step });
        await reset(run.settings, (s) => s.restore(run.params, run.step, run.optimizer));
      });
      break;
    case 'download':
      queue(async () => {
        if (!session) return;
        const bytes = labRunArchive(session, m.name);
        post({ type: 'archive', name: m.name, bytes }, [bytes.buffer]);
      });
      break;
  }
};
