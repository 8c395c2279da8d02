/**
 * One run of a sweep, done by whoever takes it (a local pool process or a queue worker): skipped
 * when its summary says it finished, resumed from `checkpoints/latest` when one exists (an earlier
 * attempt was killed), started afresh otherwise. Each attempt appends a line to
 * `<run>.attempts.jsonl` beside the run directory (who, when, from which step), so a resume is visible;
 * beside rather than inside, because a run directory holds only what the run itself writes.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MANIFEST } from '../engine/checkpoint.js';
import { writeReport } from '../report/report.js';
import { resumeExperiment, runExperiment, type RunSummary } from '../train/experiment.js';
import { configFromFlags, type RunFlags } from '../train/flagConfig.js';
import type { ProgressReporter } from '../train/progress.js';
import { readMetrics, runPaths } from '../train/runDir.js';
import { checkpointDir } from '../train/checkpoints.js';
import { sweepRunDir } from './layout.js';
import { disentanglementMeasured, measureDisentanglement } from './disentanglement.js';
import { measureSurgery, surgeryMeasured } from './surgery.js';

/** A unit of work: one run of one sweep (also a queue job's data). */
export interface SweepJob {
  readonly sweep: string;
  readonly run: string;
  readonly flags: RunFlags;
}

/** Where a run stands, as its directory shows. */
export interface RunProgress {
  readonly step: number;
  readonly total: number;
}

/** Options of {@link runSweepJob}. */
export interface JobOptions {
  /** onnxruntime threads when the run's flags set none. */
  readonly threads?: number;
  /** Called after each training step (throttle it yourself). */
  readonly onProgress?: (p: RunProgress) => void;
  /** Message lines (report writing, evaluation). */
  readonly log?: (line: string) => void;
  /** Who runs it, for the attempts file (default host:pid). */
  readonly worker?: string;
  /** Stop after this many steps as if killed (tests). */
  readonly stopAtStep?: number;
  /** Points per disentanglement score of a run on dSprites (default `SWEEP_POINTS` of disentanglement.ts). */
  readonly disentanglementPoints?: number;
}

/** What {@link runSweepJob} did. */
export interface JobOutcome {
  readonly summary: RunSummary;
  /** 'skipped': already finished; 'resumed': continued from a checkpoint; 'started': from step 0. */
  readonly action: 'skipped' | 'resumed' | 'started';
  /** The step training began at (the checkpoint's step when resumed). */
  readonly startStep: number;
}

/** One line of a run's attempts file. */
export interface AttemptRecord {
  readonly worker: string;
  readonly pid: number;
  readonly startStep: number;
  readonly time: string;
}

/** The summary of a finished run in `dir` (null when it has none or was interrupted). */
export function finishedSummary(dir: string): RunSummary | null {
  const p = runPaths(dir).summary;
  if (!existsSync(p)) return null;
  const s = JSON.parse(readFileSync(p, 'utf8')) as RunSummary;
  return s.stopped === 'interrupted' ? null : s;
}

/** Whether the run in `dir` finished and, when it was evaluated, has its sweep measurements. */
export function isComplete(dir: string): boolean {
  const s = finishedSummary(dir);
  return s !== null && (s.testElbo === null || (surgeryMeasured(dir) && disentanglementMeasured(dir)));
}

/** The step of the run's latest checkpoint (null when it has none). */
export function checkpointStep(dir: string): number | null {
  const manifest = join(checkpointDir(runPaths(dir), 'latest'), MANIFEST);
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { step: number }).step : null;
}

/** The file of the attempts at the run in `dir`: `<run>.attempts.jsonl` beside it. */
export const attemptsFile = (dir: string): string => join(dirname(dir), `${basename(dir)}.attempts.jsonl`);

/** The attempts recorded for the run in `dir`. */
export function readAttempts(dir: string): AttemptRecord[] {
  const p = attemptsFile(dir);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AttemptRecord);
}

/** The last step logged in the run's metrics.jsonl (0 when none). */
export function lastLoggedStep(dir: string): number {
  try {
    return readMetrics(dir).reduce((m, r) => Math.max(m, r.step), 0);
  } catch {
    return 0; // a torn last line while another process writes it
  }
}

/**
 * The sweep's own measurements of an evaluated run (those not made yet): the ELBO-surgery terms
 * (seed 002) and, on data with ground-truth factors, the disentanglement scores (seed 004).
 */
async function afterRun(dir: string, summary: RunSummary, log: (line: string) => void, points?: number): Promise<void> {
  if (summary.stopped === 'interrupted' || summary.testElbo === null) return;
  if (!surgeryMeasured(dir)) {
    const t = await measureSurgery(dir);
    if (t)
      log(
        `ELBO surgery on ${t.n} test examples: average KL ${t.avgKl.toFixed(2)} = mutual information ${t.mutualInformation.toFixed(2)} + marginal KL ${t.marginalKl.toFixed(2)} nats`,
      );
  }
  if (!disentanglementMeasured(dir)) {
    const s = await measureDisentanglement(dir, { points });
    const pct = (v: number | null) => (v === null ? '-' : v.toFixed(3));
    if (s)
      log(
        `disentanglement (${s.points} points): β-VAE score ${pct(s.betaVae)}, FactorVAE score ${pct(s.factorVae)}, MIG ${pct(s.mig)}, DCI disentanglement ${pct(s.dciDisentanglement)}`,
      );
  }
}

/** Runs (or skips, or resumes) one job in `runsDir`; see the module comment. */
export async function runSweepJob(job: SweepJob, runsDir: string, opts: JobOptions = {}): Promise<JobOutcome> {
  const dir = sweepRunDir(runsDir, job.sweep, job.run);
  const log = opts.log ?? (() => {});
  const done = finishedSummary(dir);
  if (done) {
    if (!isComplete(dir)) await afterRun(dir, done, log, opts.disentanglementPoints); // killed after training, before its measurement
    return { summary: done, action: 'skipped', startStep: done.steps };
  }
  let total = 0;
  const progress: ProgressReporter = {
    start: (t) => void (total = t),
    update: (i) => opts.onProgress?.({ step: i.step, total }),
    log,
    stop: () => {},
  };
  const report = job.flags.report === false ? undefined : async (d: string) => (await writeReport(d, { log })).index;
  const attempt = (startStep: number): void => {
    const rec: AttemptRecord = {
      worker: opts.worker ?? `${hostname()}:${process.pid}`,
      pid: process.pid,
      startStep,
      time: new Date().toISOString(),
    };
    appendFileSync(attemptsFile(dir), JSON.stringify(rec) + '\n');
  };
  const step = checkpointStep(dir);
  if (step !== null && existsSync(runPaths(dir).config)) {
    attempt(step);
    const summary = await resumeExperiment(dir, { progress, report, stopAtStep: opts.stopAtStep });
    await afterRun(dir, summary, log, opts.disentanglementPoints);
    return { summary, action: 'resumed', startStep: step };
  }
  // No checkpoint: whatever an earlier attempt left is of no use.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  attempt(0);
  const flags = job.flags.threads === undefined && opts.threads !== undefined ? { ...job.flags, threads: opts.threads } : job.flags;
  const summary = await runExperiment(configFromFlags(flags), { out: dir, progress, report, stopAtStep: opts.stopAtStep });
  await afterRun(dir, summary, log, opts.disentanglementPoints);
  return { summary, action: 'started', startStep: 0 };
}
