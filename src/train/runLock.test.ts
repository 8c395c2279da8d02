import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRunLock, LOCK_FILE, RunLockedError } from './runLock.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('run directory lock', () => {
  it('is exclusive, names the holder, and is free again after release', () => {
    const lock = acquireRunLock(root);
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => acquireRunLock(root)).toThrow(RunLockedError);
    expect(() => acquireRunLock(root)).toThrow(new RegExp(`pid ${process.pid}`));
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    acquireRunLock(root).release();
  });

  it('takes over the lock of a process that no longer exists, and refuses that of a live one', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: Number(dead), host: hostname(), since: 'then' }));
    acquireRunLock(root).release();
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'then' }));
    expect(() => acquireRunLock(root)).toThrow(new RegExp(`pid ${process.ppid}, since then`));
    rmSync(join(root, LOCK_FILE));
  });
});
