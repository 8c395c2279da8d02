/**
 * A throw-away redis-server for the queue tests: a free port on 127.0.0.1, no persistence
 * (`--save '' --appendonly no`), a temporary directory, stopped (and its directory removed) by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRedis } from '../queue.js';

/** The redis-server binary of the Debian package, or null when it is not installed. */
export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((p) => existsSync(p)) ?? null;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running redis-server. */
export interface TestRedis {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port and waits until it answers. */
export async function startRedis(): Promise<TestRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (Debian package redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vaelab-redis-'));
  const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await checkRedis(url, 500);
      break;
    } catch (e) {
      if (i > 100 || proc.exitCode !== null) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: proc,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
