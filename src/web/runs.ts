/**
 * The runs under a folder, as the dashboard lists them: each run's status (training, done, stopped,
 * failed), what model it trains and its final numbers, read from config.json, summary.json and the
 * tail of metrics.jsonl. A run with a missing, half-written or corrupt file is listed with the
 * problem named, never thrown.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runPaths } from '../train/runDir.js';
import { alive, readRunLock } from '../train/runLock.js';
import { lastTrainRecord, readBytes } from './metricsFile.js';
import { isPlainSegment, resolveInside } from './paths.js';

/**
 * What a run is doing. `training`: no summary yet and its `run.lock` names a live process (or, for a
 * lock taken on another host, whose processes this one cannot see, its files changed lately);
 * `stopped`: no summary and nobody working in it, or interrupted.
 */
export type RunStatus = 'training' | 'done' | 'stopped' | 'failed';

/** One row of the runs list. Numbers are null where the run does not have them (yet). */
export interface RunRow {
  readonly name: string;
  readonly status: RunStatus;
  /** What is wrong with the run's files (empty for a healthy run). */
  readonly problems: string[];
  readonly model: string | null;
  readonly decoder: string | null;
  readonly prior: string | null;
  readonly objective: string | null;
  readonly latent: number | null;
  readonly dataset: string | null;
  readonly steps: number | null;
  readonly testElbo: number | null;
  readonly testNll: number | null;
  /** Standard error of testNll (summary.json's `testNllSe`; absent in runs written before it existed). */
  readonly testNllSe: number | null;
  readonly nllK: number | null;
  readonly activeUnits: number | null;
  /** When config.json was written (ISO 8601). */
  readonly started: string | null;
  /** Last write to metrics.jsonl or summary.json (ISO 8601). */
  readonly updated: string | null;
  readonly hasReport: boolean;
  readonly hasCheckpoint: boolean;
}

/** Options of {@link listRuns} and {@link readRunRow}. */
export interface RunListOptions {
  /**
   * A run without summary.json locked from another host counts as training while its files changed
   * within this many seconds (default 120).
   */
  readonly activeSeconds?: number;
  /** The same once checkpoints/final exists, while the final evaluation runs (default 1800). */
  readonly evaluatingSeconds?: number;
  /** The clock (ms since the epoch), for tests. */
  readonly now?: number;
}

type Json = Record<string, unknown>;

function readJson(path: string): { value: Json | null; problem: string | null } {
  if (!existsSync(path)) return { value: null, problem: null };
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { value: null, problem: 'is not a JSON object' };
    return { value: v as Json, problem: null };
  } catch (e) {
    return { value: null, problem: `does not parse (${e instanceof Error ? e.message : String(e)})` };
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

/** The objective as one short label: kind, with β and K where they are not 1. */
export function objectiveLabel(objective: unknown): string | null {
  const o = obj(objective);
  if (typeof o.kind !== 'string') return null;
  const beta = num(o.beta);
  const k = num(o.k);
  return `${o.kind}${beta !== null && beta !== 1 ? ` β=${beta}` : ''}${k !== null && k !== 1 ? ` K=${k}` : ''}`;
}

function mtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** Whether the file's last byte is not a newline (a write cut short); false for a missing or empty file. */
function endsMidLine(path: string): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  return size > 0 && readBytes(path, size - 1, 1)?.[0] !== 0x0a;
}

/** The list row of the run in folder `dir` named `name`. */
export function readRunRow(dir: string, name: string, opts: RunListOptions = {}): RunRow {
  const paths = runPaths(dir);
  const problems: string[] = [];
  const config = readJson(paths.config);
  if (config.problem) problems.push(`config.json ${config.problem}`);
  else if (!config.value) problems.push('config.json is missing');
  const summary = readJson(paths.summary);
  if (summary.problem) problems.push(`summary.json ${summary.problem}`);
  const m = obj(config.value?.model);
  const t = obj(config.value?.train);
  const s = summary.value ?? {};
  const last = lastTrainRecord(paths.metrics);
  const hasCheckpoint = existsSync(join(paths.checkpoints, 'final')) || existsSync(join(paths.checkpoints, 'latest'));
  const updatedMs = Math.max(mtime(paths.metrics) ?? 0, mtime(paths.summary) ?? 0, mtime(paths.checkpoints) ?? 0) || null;
  const now = opts.now ?? Date.now();
  let status: RunStatus;
  if (config.problem || !config.value || summary.problem) status = 'failed';
  else if (summary.value) status = s.stopped === 'interrupted' ? 'stopped' : 'done';
  else {
    // No summary yet: a process works in the run while it holds run.lock (train/runLock.ts).
    const evaluating = existsSync(join(paths.checkpoints, 'final'));
    const lock = readRunLock(dir);
    if (lock && lock.host === hostname()) {
      status = alive(lock.pid) ? 'training' : 'stopped';
      if (status === 'stopped') problems.push(`its process (pid ${lock.pid}) ended without finishing: killed or crashed`);
    } else if (lock) {
      // Locked on another host (a shared runs folder): its pid means nothing here, so judge by the
      // files; after the final checkpoint the final evaluation writes nothing for minutes.
      const window = evaluating ? (opts.evaluatingSeconds ?? 1800) : (opts.activeSeconds ?? 120);
      status = updatedMs !== null && now - updatedMs < 1000 * window ? 'training' : 'stopped';
    } else status = 'stopped';
    if (evaluating)
      problems.push(
        status === 'training' ? 'trained; final evaluation running' : 'trained, but no summary.json: the final evaluation did not finish',
      );
  }
  if (!summary.value && !existsSync(paths.metrics)) problems.push('no metrics.jsonl yet');
  if (status !== 'training' && endsMidLine(paths.metrics)) problems.push('metrics.jsonl ends in an unfinished line');
  if (!hasCheckpoint) problems.push('no checkpoint yet');
  const started = mtime(paths.config);
  return {
    name,
    status,
    problems,
    model: str(m.kind),
    decoder: str(m.decoder),
    prior: str(m.prior) ?? (config.value ? 'standard' : null),
    objective: objectiveLabel(config.value?.objective),
    latent: num(m.latent),
    dataset: str(t.dataset),
    steps: num(s.steps) ?? last?.step ?? null,
    testElbo: num(s.testElbo),
    testNll: num(s.testNll),
    testNllSe: num(s.testNllSe),
    nllK: num(s.nllK) || null,
    activeUnits: num(s.activeUnits),
    started: started === null ? null : new Date(started).toISOString(),
    updated: updatedMs === null ? null : new Date(updatedMs).toISOString(),
    hasReport: existsSync(join(dir, 'report', 'index.html')),
    hasCheckpoint,
  };
}

/**
 * Every run folder directly under `root` (a real path; folders with config.json, metrics.jsonl or
 * checkpoints/), newest first. Symlinked folders that lead outside `root` are left out.
 */
export function listRuns(root: string, opts: RunListOptions = {}): RunRow[] {
  const rows: RunRow[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!isPlainSegment(e.name) || e.name.startsWith('.')) continue;
    const dir = resolveInside(root, [e.name], 'dir');
    if (!dir) continue;
    const p = runPaths(dir);
    if (!existsSync(p.config) && !existsSync(p.metrics) && !existsSync(p.checkpoints)) continue;
    rows.push(readRunRow(dir, e.name, opts));
  }
  return rows.sort((a, b) => (b.started ?? '').localeCompare(a.started ?? '') || a.name.localeCompare(b.name));
}
