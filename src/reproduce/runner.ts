/**
 * Runs one reproduction: the experiment's runs at the budget as a sweep named
 * `reproduce-<name>-<budget>` (here in a process pool, in this process, or through the BullMQ queue),
 * then its measurements on the finished runs, the seed-vs-vaelab table and the report, written to
 * `<runs-dir>/reproduce-<name>-<budget>/reproduction/` (index.html and reproduction.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { UserError } from '../engine/errors.js';
import { loadRun, type LoadedRun, type RunSummary } from '../train/experiment.js';
import { finishedSummary, runSweepJob } from '../sweep/job.js';
import { sweepDir, sweepRunDir, writePlan } from '../sweep/layout.js';
import { runLocalPool } from '../sweep/pool.js';
import { enqueueSweep, queueStatus } from '../sweep/queue.js';
import { expandSweep, parseSweepSpec, type SweepPlan } from '../sweep/spec.js';
import { mergeQueueStatus } from '../sweep/status.js';
import { compareAll, type ComparisonRow } from './compare.js';
import type { Budget, Experiment, RunContext, Values } from './experiment.js';
import { writeReproductionPage } from './page.js';

/** Options of {@link reproduce}. */
export interface ReproduceOptions {
  readonly budget: Budget;
  /** Where the sweep folder goes. */
  readonly runsDir: string;
  /** A BullMQ queue (redis://HOST:PORT): the runs are enqueued for `vaelab worker`s and awaited. */
  readonly queue?: string;
  /** Run the runs one after the other in this process instead of a process pool (tests; small budgets). */
  readonly inProcess?: boolean;
  /** Runs at once in the pool. */
  readonly concurrency?: number;
  /** onnxruntime threads per run and for the measurements (default 1). */
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

/** What a reproduction produced (also `reproduction.json`). */
export interface Reproduction {
  readonly experiment: string;
  readonly seeds: readonly string[];
  readonly regenerates: string;
  readonly budget: Budget;
  /** What the budget is. */
  readonly budgetNote: string;
  readonly sweep: string;
  readonly values: Values;
  readonly rows: readonly ComparisonRow[];
  /** Training seconds summed over the runs, and the measurements' seconds. */
  readonly trainSeconds: number;
  readonly measureSeconds: number;
  /** Path of the report's index.html. */
  readonly report: string;
}

/** The sweep name of `experiment` at `budget`. */
export const reproductionSweep = (experiment: string, budget: Budget): string => `reproduce-${experiment}-${budget}`;

/** The folder of the reproduction's report and data under the sweep folder. */
export const reproductionDir = (runsDir: string, experiment: string, budget: Budget): string =>
  join(sweepDir(runsDir, reproductionSweep(experiment, budget)), 'reproduction');

/** The experiment's runs at `budget` as a validated sweep plan. */
export function reproductionPlan(e: Experiment, budget: Budget): SweepPlan {
  const name = reproductionSweep(e.name, budget);
  const spec = parseSweepSpec(
    {
      name,
      description: `vaelab reproduce ${e.name} --budget ${budget}: ${e.regenerates}`,
      variations: e.runs(budget).map((r) => ({ ...r.flags, name: r.name })),
    },
    name,
  );
  return expandSweep(spec, name);
}

async function waitForQueue(
  plan: SweepPlan,
  runsDir: string,
  queue: string,
  log: (line: string) => void,
): Promise<Array<{ run: string; error?: string }>> {
  let last = '';
  for (;;) {
    const status = mergeQueueStatus(plan, runsDir, await queueStatus(plan, queue));
    const done = status.filter((s) => s.state === 'done').length;
    const failed = status.filter((s) => s.state === 'failed');
    const line = `${plan.name}: ${done} done, ${failed.length} failed of ${status.length}`;
    if (line !== last) log((last = line));
    if (done + failed.length === status.length) return failed.map((s) => ({ run: s.run, error: s.error }));
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Trains the plan's runs (skipping finished ones); returns the failures. */
async function runPlan(plan: SweepPlan, o: ReproduceOptions, log: (line: string) => void): Promise<Array<{ run: string; error?: string }>> {
  if (o.queue) {
    const r = await enqueueSweep(plan, o.queue);
    log(
      `${plan.name}: ${r.added} runs enqueued on ${o.queue}, ${r.present} already there; waiting for \`vaelab worker --queue ${o.queue} --runs-dir ${o.runsDir}\``,
    );
    return waitForQueue(plan, o.runsDir, o.queue, log);
  }
  if (o.inProcess) {
    const failed: Array<{ run: string; error?: string }> = [];
    for (const run of plan.runs) {
      try {
        await runSweepJob({ sweep: plan.name, run: run.name, flags: run.flags }, o.runsDir, {
          threads: o.threads ?? 1,
          log: (l) => log(`${run.name}: ${l}`),
        });
        log(`${run.name} done`);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        failed.push({ run: run.name, error: e.message });
      }
    }
    return failed;
  }
  const threads = o.threads ?? 1;
  const concurrency = o.concurrency ?? Math.max(1, Math.floor(availableParallelism() / threads));
  const results = await runLocalPool(plan, o.runsDir, { concurrency, threads, log });
  return results.filter((r) => r.error);
}

/** The numbers every run's summary gives, as `<run>.<key>`. */
function summaryValues(run: string, s: RunSummary): Record<string, number | null> {
  const v: Record<string, number | null> = {
    testElbo: s.testElbo,
    testNll: s.testNll,
    testKl: s.testKl,
    testReconstruction: s.testReconstruction,
    activeUnits: s.activeUnits,
    bitsPerDim: s.bitsPerDim,
    msPerStep: s.msPerStep,
    steps: s.steps,
    testError: s.classification?.testError ?? null,
    baselineTestError: s.classification?.baselineTestError ?? null,
  };
  (s.activeUnitsPerLayer ?? []).forEach((a, i) => (v[`activeUnitsLayer${i + 1}`] = a));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [`${run}.${k}`, x]));
}

/**
 * Reproduces `e` at `opts.budget`: trains its runs (finished ones are kept: rerunning resumes and
 * rewrites the report), measures, compares with the seed and writes the report. Throws a
 * {@link UserError} when a run fails.
 */
export async function reproduce(e: Experiment, opts: ReproduceOptions): Promise<Reproduction> {
  const log = opts.log ?? (() => {});
  const plan = reproductionPlan(e, opts.budget);
  writePlan(opts.runsDir, plan);
  const failed = await runPlan(plan, opts, log);
  if (failed.length)
    throw new UserError(
      `reproduce ${e.name}: ${failed.length} of ${plan.runs.length} runs failed: ${failed.map((f) => `${f.run}: ${f.error ?? 'failed'}`).join('; ')}`,
    );

  const t0 = performance.now();
  const threads = opts.threads ?? 1;
  const runs = new Map<string, RunContext>();
  const values: Record<string, number | null> = {};
  let trainSeconds = 0;
  for (const r of plan.runs) {
    const dir = sweepRunDir(opts.runsDir, plan.name, r.name);
    const summary = finishedSummary(dir);
    if (!summary) throw new UserError(`reproduce ${e.name}: run ${r.name} has no summary in ${dir}`);
    trainSeconds += summary.secPerEpoch * summary.epochs + (summary.evalSeconds ?? 0);
    let loaded: Promise<LoadedRun> | undefined;
    const ctx: RunContext = { name: r.name, dir, summary, budget: opts.budget, threads, load: () => (loaded ??= loadRun(dir)) };
    runs.set(r.name, ctx);
    Object.assign(values, summaryValues(r.name, summary));
    if (e.measureRun) {
      log(`measuring ${r.name}`);
      for (const [k, v] of Object.entries(await e.measureRun(ctx))) values[`${r.name}.${k}`] = v;
    }
  }
  const outDir = reproductionDir(opts.runsDir, e.name, opts.budget);
  mkdirSync(outDir, { recursive: true });
  if (e.measure) Object.assign(values, await e.measure({ budget: opts.budget, outDir, runs, threads, log }));
  const rows = compareAll(e.comparisons, values, opts.budget);
  const result: Omit<Reproduction, 'report'> = {
    experiment: e.name,
    seeds: e.seeds,
    regenerates: e.regenerates,
    budget: opts.budget,
    budgetNote: e.budgets[opts.budget],
    sweep: plan.name,
    values,
    rows,
    trainSeconds,
    measureSeconds: (performance.now() - t0) / 1000,
  };
  const report = await writeReproductionPage(e, result, { runsDir: opts.runsDir, outDir });
  const full: Reproduction = { ...result, report };
  writeFileSync(join(outDir, 'reproduction.json'), JSON.stringify(full, null, 2) + '\n');
  return full;
}
