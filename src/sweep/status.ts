/**
 * Where each run of a sweep stands: from its run directory (done, running here, interrupted,
 * pending) and, for a queued sweep, from the queue (queued, running, done, failed), with the last
 * step each run reached.
 */
import { alive } from '../train/runLock.js';
import { hostname } from 'node:os';
import type { RunSummary } from '../train/experiment.js';
import { finishedSummary, lastLoggedStep, readAttempts } from './job.js';
import { sweepRunDir } from './layout.js';
import type { QueuedRunState } from './queue.js';
import type { SweepPlan } from './spec.js';

/** The states a run can be in. */
export type RunState = 'pending' | 'queued' | 'running' | 'interrupted' | 'done' | 'failed';

/** One run's state and its last step. */
export interface RunStatus {
  readonly run: string;
  readonly state: RunState;
  /** The last step logged (or reported to the queue); 0 before the first. */
  readonly step: number;
  readonly attempts: number;
  readonly summary: RunSummary | null;
  readonly error?: string;
}

/** Each run's state as its directory under `runsDir` shows it. */
export function localStatus(plan: SweepPlan, runsDir: string): RunStatus[] {
  return plan.runs.map((r) => {
    const dir = sweepRunDir(runsDir, plan.name, r.name);
    const attempts = readAttempts(dir);
    const summary = finishedSummary(dir);
    if (summary) return { run: r.name, state: 'done', step: summary.steps, attempts: attempts.length, summary };
    if (attempts.length === 0) return { run: r.name, state: 'pending', step: 0, attempts: 0, summary: null };
    const last = attempts[attempts.length - 1];
    const here = last.worker === `${hostname()}:${last.pid}`;
    const state: RunState = here && alive(last.pid) ? 'running' : 'interrupted';
    return { run: r.name, state, step: lastLoggedStep(dir), attempts: attempts.length, summary: null };
  });
}

const QUEUE_STATES: Record<string, RunState> = {
  waiting: 'queued',
  delayed: 'queued',
  prioritized: 'queued',
  'waiting-children': 'queued',
  active: 'running',
  completed: 'done',
  failed: 'failed',
};

/** Each run's state in the queue, with the step from its directory when the directory is visible here. */
export function mergeQueueStatus(plan: SweepPlan, runsDir: string, queued: readonly QueuedRunState[]): RunStatus[] {
  const local = new Map(localStatus(plan, runsDir).map((s) => [s.run, s]));
  return queued.map((q) => {
    const l = local.get(q.run)!;
    const state: RunState = QUEUE_STATES[q.state] ?? (l.state === 'done' ? 'done' : 'pending');
    return {
      run: q.run,
      state,
      step: Math.max(q.progress?.step ?? 0, l.step),
      attempts: q.attempts,
      summary: q.summary ?? l.summary,
      ...(q.failedReason ? { error: q.failedReason } : {}),
    };
  });
}

/** A plain-text table of the statuses and a count per state. */
export function formatStatus(statuses: readonly RunStatus[]): string[] {
  const width = Math.max(3, ...statuses.map((s) => s.run.length));
  const counts = new Map<RunState, number>();
  for (const s of statuses) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const lines = [`${'run'.padEnd(width)}  ${'state'.padEnd(11)}  ${'step'.padStart(7)}  attempts`];
  for (const s of statuses) {
    lines.push(
      `${s.run.padEnd(width)}  ${s.state.padEnd(11)}  ${String(s.step).padStart(7)}  ${s.attempts}${s.error ? `  ${s.error}` : ''}`,
    );
  }
  lines.push(
    ['queued', 'pending', 'running', 'interrupted', 'done', 'failed']
      .filter((k) => counts.has(k as RunState))
      .map((k) => `${counts.get(k as RunState)} ${k}`)
      .join(', '),
  );
  return lines;
}
