/**
 * The worker thread that runs the latent explorers (onnxruntime runs block the thread they run on,
 * DESIGN.md: loading a run encodes 1,000 test images; kept off the server's event loop, the event
 * streams and the runs list stay responsive). Messages: `{ id, dir, op, args }` in,
 * `{ id, ok, value }` or `{ id, ok: false, error, user }` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../engine/errors.js';
import { ModelExplorer, type DecodeMode } from './explorer.js';

/** A request to the worker. */
export type ExplorerRequest =
  | { id: number; dir: string; key: string; op: 'info' }
  | { id: number; dir: string; key: string; op: 'decode'; z: number[]; mode: DecodeMode; alpha: number; seed: number }
  | { id: number; dir: string; key: string; op: 'encoded' | 'exampleImage'; index: number };

/** The worker's answer to request `id`. */
export type ExplorerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string; user: boolean };

const { threads, models } = workerData as { threads: number; models: number };
/** Loaded explorers by `key` (the run folder and the checkpoint it was loaded from), oldest first. */
const loaded = new Map<string, Promise<ModelExplorer>>();

function explorer(dir: string, key: string): Promise<ModelExplorer> {
  let e = loaded.get(key);
  if (!e) {
    for (const k of [...loaded.keys()]) if (k.startsWith(`${dir}@`)) loaded.delete(k);
    e = ModelExplorer.load(dir, { threads });
    loaded.set(key, e);
    e.catch(() => loaded.delete(key));
    while (loaded.size > models) loaded.delete(loaded.keys().next().value as string);
  }
  return e;
}

async function answer(r: ExplorerRequest): Promise<unknown> {
  const ex = await explorer(r.dir, r.key);
  switch (r.op) {
    case 'info':
      return ex.info;
    case 'decode':
      return ex.decode(r.z, r.mode, r.alpha, r.seed);
    case 'encoded':
      return ex.encoded(r.index);
    case 'exampleImage':
      return ex.exampleImage(r.index);
  }
}

parentPort!.on('message', (r: ExplorerRequest) => {
  answer(r).then(
    (value) => parentPort!.postMessage({ id: r.id, ok: true, value } satisfies ExplorerReply),
    (e: unknown) =>
      parentPort!.postMessage({
        id: r.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
        user: e instanceof UserError,
      } satisfies ExplorerReply),
  );
});
