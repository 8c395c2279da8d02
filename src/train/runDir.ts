/**
 * A run directory: `config.json` (everything needed to rebuild the model), `metrics.jsonl` (one
 * JSON object per logged step or evaluation, see `metricsLog.ts`), `checkpoints/`, `summary.json`
 * at the end, and `run.lock` while a process works in it (see `runLock.ts`).
 *
 * A run directory is never silently overwritten: {@link createRunDir} refuses a directory that
 * already holds anything unless asked to `overwrite` a previous run, and every reader names the file
 * and the position of what it could not parse.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../engine/errors.js';
import { acquireRunLock, LOCK_FILE, type RunLock } from './runLock.js';

export { appendMetrics, readMetrics, repairMetrics, type StepRecord, type ValidationRecord } from './metricsLog.js';

/** A run directory that cannot be created, opened, read or written; the message names the path. */
export class RunDirError extends UserError {
  override name = 'RunDirError';
}

/** Paths of a run directory's files. */
export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly metrics: string;
  readonly checkpoints: string;
  readonly summary: string;
}

/** The run directory `vaelab train` uses without `--out`: `runs/<name>-<UTC time to the second>`, e.g. `runs/quick-20261122-124801`. */
export function defaultRunDir(name: string, now = new Date()): string {
  return `runs/${name}-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** The file layout of run directory `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    summary: join(dir, 'summary.json'),
  };
}

/** The files and folders a run writes; `--overwrite` removes exactly these. */
const RUN_ENTRIES = ['config.json', 'metrics.jsonl', 'summary.json', 'checkpoints', 'report'];

/** 1-based line and column of character `offset` in `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/**
 * Parses `text` as JSON; on failure throws a {@link RunDirError} naming `file` and the line and
 * column (from the parser's character position; the end of the text when it ended early).
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /at position (\d+)/.exec(msg);
    const where = lineColumn(text, at ? Number(at[1]) : text.length);
    throw new RunDirError(`${file} (${where}): not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/s, '')}`);
  }
}

/** Reads and parses a JSON file of a run directory (errors name the file and the position). */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RunDirError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  return parseJsonText(text, file);
}

/** Reads a run directory's config.json; a missing file means `dir` is not a run directory. */
export function readRunConfig(dir: string): unknown {
  const p = runPaths(dir);
  if (!existsSync(p.config)) throw new RunDirError(`${dir} is not a run directory: ${p.config} is missing`);
  const config = readJsonFile(p.config);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new RunDirError(`${p.config}: expected a JSON object with sections model, objective, train, eval`);
  return config;
}

/** Reads summary.json (an object with the run's `steps` at least), or null when the run never wrote one. */
export function readSummaryFile(dir: string): unknown {
  const p = runPaths(dir).summary;
  if (!existsSync(p)) return null;
  const s = readJsonFile(p) as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null || typeof s.steps !== 'number')
    throw new RunDirError(
      `${p}: expected a run summary (an object with steps, testElbo, ...); delete it and run \`vaelab train --resume ${dir}\` to write it again`,
    );
  return s;
}

/** A short reason for a failed file-system call (`permission denied (EACCES)`, ...). */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder, not a file',
    ENOENT: 'no such file or folder',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it already exists',
  };
  return code && words[code] ? `${words[code]} (${code})` : (e as Error).message;
}

/**
 * Creates folder `dir` and its missing parents, one `mkdir` at a time. Written out because Node's
 * `mkdirSync(..., { recursive: true })` never returns for a path under /proc (it retries forever).
 */
export function makeDirs(dir: string, what = 'folder'): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new RunDirError(`cannot create ${what} ${dir}: ${describeFsError(e)} at ${p}`);
      missing.push(p);
      const up = dirname(p);
      if (up === p) break;
      p = up;
      continue;
    }
    if (!st.isDirectory()) throw new RunDirError(`cannot create ${what} ${dir}: ${p} exists and is not a folder`);
    break;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(m).isDirectory()) continue;
      // mkdir in a pseudo file system (/proc) fails with ENOENT although the parent exists.
      const why =
        code === 'ENOENT' ? `the file system at ${dirname(m)} does not allow new folders (ENOENT)` : `${describeFsError(e)} at ${m}`;
      throw new RunDirError(`cannot create ${what} ${dir}: ${why}`);
    }
  }
}

/** Whether `dir` holds a vaelab run: a config.json with the sections of a run config (not a file of the user's). */
function holdsRun(dir: string): boolean {
  try {
    const c = JSON.parse(readFileSync(runPaths(dir).config, 'utf8')) as Record<string, unknown>;
    return typeof c === 'object' && c !== null && ['model', 'objective', 'train', 'eval'].every((k) => typeof c[k] === 'object');
  } catch {
    return existsSync(runPaths(dir).checkpoints);
  }
}

/** Options of {@link createRunDir}. */
export interface CreateRunDirOptions {
  /** Replace a previous run in the directory (its config, metrics, summary, checkpoints, report). */
  readonly overwrite?: boolean;
}

/**
 * Creates run directory `dir` for a new run and locks it (see `runLock.ts`): refuses an empty path,
 * a path that is a file, a directory in use by another process, and a non-empty directory (unless
 * `overwrite` and it holds a previous run, whose files are then removed). The caller releases the lock.
 */
export function createRunDir(dir: string, opts: CreateRunDirOptions = {}): RunLock {
  if (dir.trim() === '') throw new RunDirError('the run directory (--out) is empty: name a new folder for the run, e.g. --out runs/my-run');
  makeDirs(dir, 'run directory');
  const lock = acquireRunLock(dir);
  try {
    // The lock, and an empty checkpoints/ of a run killed before it wrote anything, do not count.
    const entries = readdirSync(dir).filter((e) => e !== LOCK_FILE && !(e === 'checkpoints' && readdirSync(join(dir, e)).length === 0));
    if (entries.length > 0) {
      const isRun = holdsRun(dir);
      if (!isRun)
        throw new RunDirError(
          `${dir} is not empty and holds no vaelab run (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}): choose a new or empty folder for --out`,
        );
      if (!opts.overwrite) {
        throw new RunDirError(
          `${dir} already holds a run: continue it with \`vaelab train --resume ${dir}\`, choose another --out, or pass --overwrite to replace it`,
        );
      }
      for (const e of RUN_ENTRIES) rmSync(join(dir, e), { recursive: true, force: true });
    }
    makeDirs(runPaths(dir).checkpoints, 'run directory');
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Opens an existing run directory to continue it (resume): it must hold a run; locks it and removes temporary files a crash left. */
export function openRunDir(dir: string): RunLock {
  readRunConfig(dir);
  const lock = acquireRunLock(dir);
  for (const f of readdirSync(dir)) if (/^\..*\.tmp-/.test(f)) rmSync(join(dir, f), { force: true });
  return lock;
}

/** Writes `value` as pretty JSON to `file` (a run directory file); errors name the file. */
export function writeJsonFile(file: string, value: unknown): void {
  try {
    writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  } catch (e) {
    throw new RunDirError(`cannot write ${file}: ${describeFsError(e)}`);
  }
}
