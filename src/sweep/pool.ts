/**
 * The local pool: the sweep's runs on this machine, each in its own forked process (`child.ts`),
 * at most `concurrency` at a time (p-limit). A process per run keeps runs apart (onnxruntime
 * sessions, memory, a crash) and lets several use the cores at once, as queue workers do.
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import type { ChildMessage, ChildRequest } from './child.js';
import { finishedSummary, isComplete, type JobOutcome, type RunProgress, type SweepJob } from './job.js';
import { sweepRunDir } from './layout.js';
import type { SweepPlan } from './spec.js';

/** Options of {@link runLocalPool}. */
export interface PoolOptions {
  /** Runs at once (default: see {@link poolSize}). */
  readonly concurrency?: number;
  /** onnxruntime threads per run, where a run's flags set none (default: see {@link poolSize}). */
  readonly threads?: number;
  /** Message lines (a run starts, ends, fails). */
  readonly log?: (line: string) => void;
  /** Progress of each running run. */
  readonly onProgress?: (run: string, p: RunProgress) => void;
}

/** The result of one run of the pool: its outcome, or why it failed. */
export interface PoolResult {
  readonly run: string;
  readonly outcome?: JobOutcome;
  readonly error?: string;
}

/**
 * Runs at once and threads per run from the core count: one run per core with one thread each
 * (small MLPs use a core better as one single-threaded run than as a thread of a shared one), and
 * the cores left over as threads when there are fewer runs than cores.
 */
export function poolSize(runs: number, cores = availableParallelism(), concurrency?: number): { concurrency: number; threads: number } {
  const c = Math.max(1, concurrency ?? Math.min(runs, cores));
  return { concurrency: c, threads: Math.max(1, Math.floor(cores / c)) };
}

/** The child module next to this one, run through tsx when vaelab runs from its TypeScript sources. */
function childEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  return { path: join(dirname(here), `child${ext}`), execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}

/** Runs one job in a forked process. */
function runInChild(req: ChildRequest, opts: PoolOptions): Promise<PoolResult> {
  const { path, execArgv } = childEntry();
  return new Promise((resolve) => {
    const child = fork(path, [], { execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    let result: PoolResult | undefined;
    child.stderr?.on('data', (b: Buffer) => void (stderr = (stderr + b.toString()).slice(-4000)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress') opts.onProgress?.(req.job.run, m);
      else if (m.type === 'log') opts.log?.(`${req.job.run}: ${m.line}`);
      else if (m.type === 'done') result = { run: req.job.run, outcome: m.outcome };
      else result = { run: req.job.run, error: m.message };
    });
    child.on('exit', (code, signal) => {
      resolve(
        result ?? {
          run: req.job.run,
          error: `its process ended (${signal ?? `exit code ${code}`}) without a result: ${stderr.trim() || 'no message'}`,
        },
      );
    });
    child.send(req);
  });
}

/**
 * Runs every run of `plan` under `runsDir` on this machine: finished runs are skipped, interrupted
 * ones resume from their last checkpoint. Resolves with each run's outcome or error, in plan order.
 */
export async function runLocalPool(plan: SweepPlan, runsDir: string, opts: PoolOptions = {}): Promise<PoolResult[]> {
  const { concurrency, threads } = poolSize(plan.runs.length, undefined, opts.concurrency);
  const limit = pLimit(concurrency);
  let finished = 0;
  return Promise.all(
    plan.runs.map((run) =>
      limit(async () => {
        const job: SweepJob = { sweep: plan.name, run: run.name, flags: run.flags };
        const dir = sweepRunDir(runsDir, plan.name, run.name);
        const done = isComplete(dir) ? finishedSummary(dir) : null;
        const r: PoolResult = done
          ? { run: run.name, outcome: { summary: done, action: 'skipped', startStep: done.steps } }
          : await runInChild({ job, runsDir, threads: opts.threads ?? threads }, opts);
        finished++;
        const what = r.error
          ? `failed: ${r.error}`
          : r.outcome!.action === 'skipped'
            ? 'already done'
            : `${r.outcome!.action === 'resumed' ? `resumed at step ${r.outcome!.startStep}, ` : ''}done`;
        opts.log?.(`[${finished}/${plan.runs.length}] ${run.name} ${what}`);
        return r;
      }),
    ),
  );
}
