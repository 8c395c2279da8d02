/**
 * Test helpers that run the real `vaelab` command (`node bin/vaelab.js`, over the compiled dist/)
 * in a child process, as a user's shell would. {@link ensureBuilt} recompiles dist/ first when any
 * source file is newer than it (once, under a lock shared by parallel test files).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');
/** The command's entry point. */
export const BIN = join(ROOT, 'bin', 'vaelab.js');

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Compiles dist/ when a source file is newer than dist/cli/main.js; returns the path of bin/vaelab.js. */
export function ensureBuilt(): string {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  const stale = () => !existsSync(main) || statSync(main).mtimeMs < newestSource(join(ROOT, 'src'));
  if (!stale()) return BIN;
  const lock = join(ROOT, 'dist', '.test-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { force: true });
      spawnSync('sleep', ['0.2']);
    }
  }
  try {
    if (stale()) {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
    }
  } finally {
    rmSync(lock, { force: true });
  }
  return BIN;
}

/** What a finished `vaelab` process gave. */
export interface VaelabResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `vaelab args...` in `cwd`; stdout and stderr are piped. */
export function spawnVaelab(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a process started by {@link spawnVaelab} and collects its output. */
export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<VaelabResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`vaelab ${child.spawnargs.slice(2).join(' ')} did not end within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `vaelab args...` in `cwd` to the end. */
export function runVaelab(args: readonly string[], cwd: string, timeoutMs?: number): Promise<VaelabResult> {
  return finished(spawnVaelab(args, cwd), timeoutMs);
}
