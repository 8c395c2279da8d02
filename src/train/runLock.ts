/**
 * An exclusive lock on a run directory for the life of a run (training or resume): the file
 * `run.lock`, created with O_EXCL, holding the owner's pid, host and start time. A second process
 * fails at once with a message naming the holder's pid. A lock whose process no longer exists on
 * this host (killed with SIGKILL, machine rebooted) is stale and taken over.
 *
 * Taking over a stale lock (remove, then create again) can race with another process doing the same
 * at the same moment; that needs two processes starting on the same dead run within microseconds.
 *
 * Written here rather than with `proper-lockfile` (the usual npm choice) because that package keeps
 * no owner in its lock (a folder plus mtime refreshes), and the message must name the holder's pid.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../engine/errors.js';

/** The lock file's name inside a run directory. */
export const LOCK_FILE = 'run.lock';

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** A run directory already locked by a live process. */
export class RunLockedError extends UserError {
  override name = 'RunLockedError';
  constructor(
    readonly dir: string,
    /** The holder's pid. */
    readonly pid: number,
    since: string,
  ) {
    super(
      `${dir} is in use by another vaelab process (pid ${pid}, since ${since}); wait for it to finish or stop it, or choose another run directory`,
    );
  }
}

/** A held lock; {@link RunLock.release} removes it (also done when the process exits). */
export interface RunLock {
  readonly dir: string;
  release(): void;
}

/** Whether process `pid` exists (on this host). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function youngerThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) ? o : null;
  } catch {
    return null;
  }
}

/** The owner recorded in run directory `dir`'s lock file, or null when it has none (or one without a readable owner). */
export function readRunLock(dir: string): LockOwner | null {
  return readOwner(join(dir, LOCK_FILE));
}

const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes the lock of run directory `dir` (which must exist) or throws {@link RunLockedError}. A lock
 * file left by a dead process on this host, or one that holds no readable owner, is replaced.
 */
export function acquireRunLock(dir: string): RunLock {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 25) throw e;
      const owner = readOwner(file);
      if (!owner && attempt < 20 && youngerThan(file, 2000)) {
        // Another process has just created the lock and not yet written its owner: wait for it.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        continue;
      }
      if (owner && owner.pid !== process.pid && (owner.host !== hostname() || alive(owner.pid)))
        throw new RunLockedError(dir, owner.pid, owner.since);
      if (owner?.pid === process.pid && held.has(file)) throw new RunLockedError(dir, owner.pid, owner.since);
      rmSync(file, { force: true });
      continue;
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner) + '\n');
    closeSync(fd);
    held.add(file);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // A process that ends without releasing (an exit on a signal, an uncaught error) still frees its locks.
      process.on('exit', () => {
        for (const f of held) rmSync(f, { force: true });
      });
    }
    return {
      dir,
      release() {
        if (held.delete(file)) rmSync(file, { force: true });
      },
    };
  }
}
