/**
 * `vaelab lab`: serves the Lab's static files (build.ts) on Hono, with the headers that make the page
 * cross-origin isolated (COOP same-origin, COEP require-corp), which multi-threaded WebAssembly needs
 * (SharedArrayBuffer). Read-only: only the files of the built folder are served.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { UserError } from '../engine/errors.js';
import { buildLab, LAB_FILES, LAB_PUBLIC } from './build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** The headers of every response: cross-origin isolation for threaded wasm. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** The Hono app serving the built Lab in `dir`. */
export function labApp(dir: string): Hono {
  const app = new Hono();
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  app.get('*', (c) => {
    const path = c.req.path === '/' ? '/index.html' : c.req.path;
    // Only the build's own files, by exact name: no path from the request reaches the file system.
    if (!LAB_FILES.includes(path.slice(1))) return c.text('not found', 404, ISOLATION_HEADERS);
    let f = files.get(path);
    if (!f) files.set(path, (f = { bytes: readFileSync(join(dir, path)), type: TYPES[extname(path)] ?? 'application/octet-stream' }));
    return c.body(f.bytes as Uint8Array<ArrayBuffer>, 200, { ...ISOLATION_HEADERS, 'Content-Type': f.type, 'Cache-Control': 'no-cache' });
  });
  return app;
}

/** A running Lab server. */
export interface RunningLab {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the Lab from `opts.dir` (default: dist/lab/public, built now if missing) on
 * `opts.host`:`opts.port` (default 127.0.0.1:6007).
 */
export async function serveLab(opts: { dir?: string; port?: number; host?: string } = {}): Promise<RunningLab> {
  const dir = opts.dir ?? LAB_PUBLIC;
  if (!existsSync(join(dir, 'worker.js'))) await buildLab(dir);
  const host = opts.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: labApp(dir).fetch, port: opts.port ?? 6007, hostname: host }, () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} on ${host} is in use: pick another with --port`) : e),
    );
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: async () => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
