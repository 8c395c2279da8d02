/**
 * The server's side of the explorer worker (explorerWorker.ts): one worker thread, started on the
 * first request, answering each request with a promise. A user error in the worker (no checkpoint, a
 * bad latent point) comes back as a {@link UserError}.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../engine/errors.js';
import type { DecodeMode, EncodedExample, ExplorerInfo } from './explorer.js';
import type { ExplorerReply, ExplorerRequest } from './explorerWorker.js';

type Request = ExplorerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** The explorers of any number of runs, run in one worker thread. */
export class ExplorerPool {
  private worker: Worker | null = null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly opts: { threads?: number; models?: number } = {}) {}

  private start(): Worker {
    // From dist/ the worker is explorerWorker.js. From the sources (tests, tsx) it is a .ts file: the
    // worker first registers tsx's loader (resolved here, where tsx is installed), then imports it.
    const workerData = { threads: this.opts.threads ?? 1, models: this.opts.models ?? 4 };
    const fromSource = import.meta.url.endsWith('.ts');
    const w = fromSource
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./explorerWorker.ts', import.meta.url).href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(new URL('./explorerWorker.js', import.meta.url), { workerData });
    w.on('message', (r: ExplorerReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.user ? new UserError(r.error) : new Error(r.error));
    });
    w.on('error', (e) => this.failAll(e));
    w.on('exit', () => {
      this.worker = null;
      this.failAll(new Error('the explorer worker stopped'));
    });
    w.unref();
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call<T>(r: Request): Promise<T> {
    this.worker ??= this.start();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ ...r, id });
    });
  }

  /** The explorer's description of the run in `dir` (loaded under `key`: reloaded when the key changes). */
  info(dir: string, key: string): Promise<ExplorerInfo> {
    return this.call({ op: 'info', dir, key });
  }

  /** PNG of latent point `z` decoded as `mode` (see ModelExplorer.decode). */
  async decode(dir: string, key: string, z: number[], mode: DecodeMode, alpha: number, seed: number): Promise<Buffer> {
    return Buffer.from(await this.call<Uint8Array>({ op: 'decode', dir, key, z, mode, alpha, seed }));
  }

  /** Test example `index` under q(z|x). */
  encoded(dir: string, key: string, index: number): Promise<EncodedExample> {
    return this.call({ op: 'encoded', dir, key, index });
  }

  /** PNG of test example `index`. */
  async exampleImage(dir: string, key: string, index: number): Promise<Buffer> {
    return Buffer.from(await this.call<Uint8Array>({ op: 'exampleImage', dir, key, index }));
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
