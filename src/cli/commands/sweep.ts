import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { UserError } from '../../engine/errors.js';
import { writePlan } from '../../sweep/layout.js';
import { writeSweepReport } from '../../sweep/page.js';
import { runLocalPool } from '../../sweep/pool.js';
import { enqueueSweep, parseQueueUrl, queueStatus } from '../../sweep/queue.js';
import { expandSweep, readSweepSpec, type SweepPlan } from '../../sweep/spec.js';
import { formatStatus, localStatus, mergeQueueStatus, type RunStatus } from '../../sweep/status.js';
import { formatTable, sweepRows, sweepTable } from '../../sweep/view.js';
import type { CommandContext, Io, Opts } from '../context.js';
import { int } from '../flags.js';

async function statusOf(plan: SweepPlan, runsDir: string, queue: string | undefined): Promise<RunStatus[]> {
  return queue ? mergeQueueStatus(plan, runsDir, await queueStatus(plan, queue)) : localStatus(plan, runsDir);
}

async function printResults(io: Io, plan: SweepPlan, runsDir: string): Promise<void> {
  for (const line of formatTable(sweepTable(plan.varied, sweepRows(plan, runsDir)), plan.varied.length + 1)) io.out(line);
  io.out(`sweep report: ${await writeSweepReport(runsDir, plan.name)}`);
}

/** Polls the queue until every run is done or failed, printing the counts when they change. */
async function waitForQueue(io: Io, plan: SweepPlan, runsDir: string, queue: string): Promise<RunStatus[]> {
  let last = '';
  for (;;) {
    const status = await statusOf(plan, runsDir, queue);
    const counts = formatStatus(status).at(-1)!;
    if (counts !== last) io.err(`${plan.name}: ${(last = counts)}`);
    if (status.every((s) => s.state === 'done' || s.state === 'failed')) return status;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function throwIfFailed(failed: ReadonlyArray<{ run: string; error?: string }>, total: number): void {
  if (failed.length)
    throw new UserError(`${failed.length} of ${total} runs failed: ${failed.map((f) => `${f.run}: ${f.error ?? 'failed'}`).join('; ')}`);
}

/** `vaelab sweep`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('sweep')
    .description(COMMAND_DESCRIPTIONS.sweep)
    .argument('<spec>', 'sweep spec file (.yaml, .yml or .json)')
    .option('--runs-dir <dir>', 'where the sweep folder <runs-dir>/<name>/ goes (shared by all workers)', 'runs')
    .option('--queue <url>', 'enqueue the runs on the BullMQ queue at redis://HOST:PORT instead of running them here')
    .option('--wait', 'with --queue: wait until every run is done or failed, then write the report')
    .option('--status', "show each run's state (queued / running / done / failed) and last step; run nothing")
    .option('--concurrency <n>', 'runs at once on this machine (default: one per core)', int())
    .option('--threads <n>', 'onnxruntime threads per run where the spec sets none (default: cores / concurrency)', int())
    .option('--attempts <n>', 'with --queue: tries per run before it counts as failed', int())
    .action((specPath: string, o: Opts) => {
      ctx.run(
        (async () => {
          const runsDir = String(o.runsDir);
          const queue = o.queue === undefined ? undefined : parseQueueUrl(String(o.queue));
          const plan = expandSweep(readSweepSpec(specPath), specPath);
          if (o.status) {
            for (const line of formatStatus(await statusOf(plan, runsDir, queue))) ctx.io.out(line);
            return;
          }
          if (queue) {
            const r = await enqueueSweep(plan, queue, { attempts: o.attempts as number | undefined });
            ctx.io.out(`expanded list: ${writePlan(runsDir, plan)}`);
            ctx.io.out(
              `${plan.name}: ${r.added} runs enqueued, ${r.retried} failed ones retried, ${r.present} already queued or done (queue ${queue})`,
            );
            if (!o.wait) {
              ctx.io.out(
                `start workers with: vaelab worker --queue ${queue} --runs-dir ${runsDir}   (follow with: vaelab sweep ${specPath} --queue ${queue} --status)`,
              );
              return;
            }
            const status = await waitForQueue(ctx.io, plan, runsDir, queue);
            await printResults(ctx.io, plan, runsDir);
            throwIfFailed(
              status.filter((s) => s.state === 'failed'),
              plan.runs.length,
            );
            return;
          }
          ctx.io.out(`expanded list: ${writePlan(runsDir, plan)} (${plan.runs.length} runs)`);
          const progress = new Map<string, string>();
          const timer = setInterval(() => progress.size && ctx.io.err([...progress].map(([run, p]) => `${run} ${p}`).join(' | ')), 10_000);
          try {
            const results = await runLocalPool(plan, runsDir, {
              concurrency: o.concurrency as number | undefined,
              threads: o.threads as number | undefined,
              log: (line) => ctx.io.err(line),
              onProgress: (run, p) => (p.step >= p.total ? progress.delete(run) : progress.set(run, `step ${p.step}/${p.total}`)),
            });
            await printResults(ctx.io, plan, runsDir);
            throwIfFailed(
              results.filter((r) => r.error),
              plan.runs.length,
            );
          } finally {
            clearInterval(timer);
          }
        })(),
      );
    });
}
