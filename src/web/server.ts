/**
 * The dashboard server (Hono on Node's http): read-only JSON endpoints over a runs folder, the run
 * files (report pictures) under it, a server-sent-event stream per run fed by watching its
 * metrics.jsonl, and the latent explorer's decoder. Every endpoint is a GET; nothing is written.
 */
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { UserError } from '../engine/errors.js';
import { runPaths } from '../train/runDir.js';
import { varianceLawChart } from '../report/charts.js';
import { clientBundle } from './bundle.js';
import type { DecodeMode } from './explorer.js';
import { ExplorerPool } from './explorerPool.js';
import { readMetricsFrom } from './metricsFile.js';
import { pageHtml } from './page.js';
import { realRoot, resolveInside } from './paths.js';
import { listRuns, readRunRow, type RunListOptions } from './runs.js';
import { addSweepRoutes } from './sweeps.js';
import { listReproductions, reproductionsIndexHtml } from '../reproduce/listing.js';

/** Options of {@link createDashboard}. */
export interface DashboardOptions extends RunListOptions {
  /** The runs folder: every subfolder with config.json, metrics.jsonl or checkpoints/ is a run. */
  readonly root: string;
  /** Longest wait between two looks at a followed metrics.jsonl when no file event came (ms; default 1000). */
  readonly pollMs?: number;
  /** onnxruntime threads of the explorer's graphs (default 1). */
  readonly threads?: number;
  /** Loaded models kept for the explorer (default 4). */
  readonly models?: number;
  /**
   * Host names the page may be asked for under (the Host header, port left out); others get 403.
   * Default: any. {@link serveDashboard} bound to a loopback address allows only localhost names,
   * so that a web site cannot read the runs through a DNS name rebound to 127.0.0.1.
   */
  readonly allowedHosts?: readonly string[];
}

/** Loopback addresses and the names the page is opened under on them. */
const LOOPBACK = ['127.0.0.1', 'localhost', '::1', '[::1]'];

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower case. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '');
}

/** A dashboard app: Hono's `fetch` and a `close` that ends the open event streams and the explorer worker. */
export interface Dashboard {
  readonly app: Hono;
  /** Ends the event streams and stops the explorer worker (the server can then close). */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** The report's pictures and charts that the page shows, by file name. */
function reportFiles(dir: string): string[] {
  const report = join(dir, 'report');
  if (!existsSync(report)) return [];
  return readdirSync(report)
    .filter((f) => /\.(png|svg)$/.test(f))
    .sort();
}

function readConfig(dir: string): { config: unknown; summary: unknown } {
  const read = (p: string): unknown => {
    try {
      return JSON.parse(readFileSync(p, 'utf8'));
    } catch {
      return null;
    }
  };
  const p = runPaths(dir);
  return { config: read(p.config), summary: read(p.summary) };
}

/** Waits until `dir` changes or `ms` pass (fs.watch events can be missed or absent on some file systems: the timeout is the fallback). */
function changeOrTimeout(watcher: FSWatcher | null, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      watcher?.off('change', done);
      resolve();
    }
    watcher?.on('change', done);
  });
}

/** Builds the dashboard over `opts.root` (see {@link DashboardOptions}). */
export function createDashboard(opts: DashboardOptions): Dashboard {
  const root = realRoot(opts.root);
  const app = new Hono();
  const streams = new Set<() => void>();
  const explorers = new ExplorerPool({ threads: opts.threads, models: opts.models });
  let closed = false;

  // A run id is a run folder's path under the root: `NAME`, or `SWEEP/runs/RUN` for a sweep's run.
  const runSegments = (c: Context): string[] => (c.req.param('run') ?? '').split('/');
  const runDir = (c: Context): string | null => resolveInside(root, runSegments(c), 'dir');
  const notFound = (c: Context, what: string) => c.json({ error: `${what} not found` }, 404);

  /** The run's explorer is loaded once per checkpoint: a training run's latest checkpoint changes. */
  const explorerKey = (dir: string): string => {
    const row = readRunRow(dir, '', opts);
    return `${dir}@${row.status}:${row.steps}`;
  };

  if (opts.allowedHosts) {
    const allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
    app.use(async (c, next) => {
      if (!allowed.has(hostName(c.req.header('host') ?? ''))) return c.text('this dashboard answers only under its own host name', 403);
      await next();
    });
  }

  app.onError((e, c) => {
    if (e instanceof UserError) return c.json({ error: e.message }, 422);
    console.error(e);
    return c.json({ error: `internal error: ${e.message}` }, 500);
  });

  app.get('/', (c) => c.html(pageHtml(root)));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/app.js', async (c) => c.body((await clientBundle()).js, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/app.css', async (c) => c.body((await clientBundle()).css, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/api/runs', (c) => c.json({ root, runs: listRuns(root, opts) }));

  app.get('/api/runs/:run', (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    return c.json({ row: readRunRow(dir, c.req.param('run'), opts), ...readConfig(dir), files: reportFiles(dir) });
  });

  app.get('/api/runs/:run/metrics', (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    return c.json(readMetricsFrom(runPaths(dir).metrics, 0));
  });

  // Server-sent events: `metrics` with the records appended after byte `from`, `status` when the run's status changes.
  app.get('/api/runs/:run/stream', (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    const name = c.req.param('run');
    let offset = Math.max(0, Number(c.req.query('from') ?? 0) || 0);
    return streamSSE(c, async (stream) => {
      let watcher: FSWatcher | null = null;
      try {
        watcher = watch(dir);
        watcher.on('error', () => {});
      } catch {
        watcher = null;
      }
      const stop = () => {
        stream.abort();
      };
      streams.add(stop);
      stream.onAbort(() => {
        streams.delete(stop);
      });
      let status = '';
      try {
        while (!stream.aborted && !closed) {
          const chunk = readMetricsFrom(runPaths(dir).metrics, offset);
          if (chunk.records.length > 0 || chunk.offset !== offset) {
            offset = chunk.offset;
            await stream.writeSSE({ event: 'metrics', data: JSON.stringify({ records: chunk.records, offset }) });
          }
          const row = readRunRow(dir, name, opts);
          if (row.status !== status) {
            status = row.status;
            await stream.writeSSE({ event: 'status', data: JSON.stringify(row) });
          }
          await changeOrTimeout(watcher, opts.pollMs ?? 1000);
        }
      } finally {
        watcher?.close();
        streams.delete(stop);
      }
    });
  });

  // Any file inside a run folder (report pictures and charts): each path segment checked, symlinks resolved (paths.ts).
  app.get('/api/runs/:run/files/*', (c) => {
    const segments = new URL(c.req.url).pathname
      .split('/')
      .slice(5)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return '..';
        }
      });
    const file = resolveInside(root, [...runSegments(c), ...segments], 'file');
    if (!file) return notFound(c, 'file');
    return c.body(readFileSync(file), 200, {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  // `vaelab reproduce` reports: an index, and the files of reproduce-* sweep folders (report, run pictures).
  app.get('/api/reproductions', (c) => c.json(listReproductions(root)));
  app.get('/reproduce', (c) => c.html(reproductionsIndexHtml(listReproductions(root), '/reproduce/')));
  app.get('/reproduce/*', (c) => {
    const segments = new URL(c.req.url).pathname
      .split('/')
      .slice(2)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return '..';
        }
      });
    const file = segments[0]?.startsWith('reproduce-') ? resolveInside(root, segments, 'file') : null;
    if (!file) return notFound(c, 'file');
    return c.body(readFileSync(file), 200, {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('/api/runs/:run/explore', async (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    const info = await explorers.info(dir, explorerKey(dir));
    return c.json({ ...info, varianceLawSpec: info.law ? varianceLawChart(info.law).spec : null });
  });

  app.get('/api/runs/:run/decode', async (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    const z = (c.req.query('z') ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map(Number);
    const mode = (c.req.query('mode') ?? 'mean') as DecodeMode;
    if (!['mean', 'ancestral', 'alpha'].includes(mode)) throw new UserError(`mode must be mean, ancestral or alpha, got ${mode}`);
    const png = await explorers.decode(
      dir,
      explorerKey(dir),
      z,
      mode,
      Number(c.req.query('alpha') ?? 0.5),
      Number(c.req.query('seed') ?? 0) | 0,
    );
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
  });

  app.get('/api/runs/:run/examples/:i', async (c) => {
    const dir = runDir(c);
    if (!dir) return notFound(c, 'run');
    const m = /^(\d+)(\.png)?$/.exec(c.req.param('i'));
    if (!m) return notFound(c, 'example');
    const key = explorerKey(dir);
    if (m[2]) return c.body(new Uint8Array(await explorers.exampleImage(dir, key, Number(m[1]))), 200, { 'Content-Type': 'image/png' });
    return c.json(await explorers.encoded(dir, key, Number(m[1])));
  });

  addSweepRoutes(app, root);

  return {
    app,
    close: async () => {
      closed = true;
      for (const stop of [...streams]) stop();
      await explorers.close();
    },
  };
}

/** Options of {@link serveDashboard}. */
export interface ServeOptions extends DashboardOptions {
  /** Port (default 6006; 0 picks a free one). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1: only this machine can connect). */
  readonly host?: string;
}

/** A running dashboard server. */
export interface RunningDashboard {
  /** The page's address, e.g. http://127.0.0.1:6006/. */
  readonly url: string;
  readonly port: number;
  /** Ends the event streams and stops the server. */
  close(): Promise<void>;
}

/** Starts the dashboard over `opts.root` on `opts.host`:`opts.port` and resolves once it listens. */
export async function serveDashboard(opts: ServeOptions): Promise<RunningDashboard> {
  const host = opts.host ?? '127.0.0.1';
  const dashboard = createDashboard({ ...opts, allowedHosts: opts.allowedHosts ?? (LOOPBACK.includes(host) ? LOOPBACK : undefined) });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: dashboard.app.fetch, port: opts.port ?? 6006, hostname: host }, () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} on ${host} is in use: pick another with --port`) : e),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: async () => {
      await dashboard.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
