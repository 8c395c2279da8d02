import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { UserError } from '../../engine/errors.js';
import { parseQueueUrl } from '../../sweep/queue.js';
import { formatTable } from '../../sweep/view.js';
import { BUDGETS, type Budget } from '../../reproduce/experiment.js';
import { EXPERIMENTS, findExperiment } from '../../reproduce/registry.js';
import { reproduce } from '../../reproduce/runner.js';
import { formatNumber } from '../../reproduce/page.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';

/** `vaelab reproduce`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('reproduce')
    .description(COMMAND_DESCRIPTIONS.reproduce)
    .argument('[name]', 'the experiment (see --list)')
    .option('--list', 'name the experiments and what each regenerates')
    .option(
      '--budget <budget>',
      `how much to train: ${BUDGETS.join(', ')} (smoke: seconds; reduced: about an hour on two cores; paper: the seed's settings)`,
      'reduced',
    )
    .option('--runs-dir <dir>', 'where the sweep folder reproduce-<name>-<budget>/ goes', 'runs')
    .option('--queue <url>', 'train the runs through the BullMQ queue at redis://HOST:PORT (served by `vaelab worker`) instead of here')
    .option('--concurrency <n>', 'runs at once on this machine (default: cores / threads)', int())
    .option('--threads <n>', 'onnxruntime threads per run and for the measurements (default 1)', int())
    .action((name: string | undefined, o: Opts) => {
      ctx.run(
        (async () => {
          if (o.list || name === undefined) {
            const rows = [
              ['name', 'seeds', 'runs (reduced)', 'what it regenerates'],
              ...EXPERIMENTS.map((e) => [e.name, e.seeds.join(', '), String(e.runs('reduced').length), e.regenerates]),
            ];
            for (const line of formatTable(rows, 4)) ctx.io.out(line);
            if (!o.list) throw new UserError('give an experiment name (or --list)');
            return;
          }
          const budget = String(o.budget);
          if (!(BUDGETS as readonly string[]).includes(budget))
            throw new UserError(`--budget: expected ${BUDGETS.join(', ')}, got ${JSON.stringify(budget)}`);
          const r = await reproduce(findExperiment(name), {
            budget: budget as Budget,
            runsDir: String(o.runsDir),
            queue: o.queue === undefined ? undefined : parseQueueUrl(String(o.queue)),
            concurrency: o.concurrency as number | undefined,
            threads: o.threads as number | undefined,
            log: (line) => ctx.io.err(line),
          });
          const rows = [
            ['quantity', 'seed', 'vaelab', 'distance', 'expected', 'verdict'],
            ...r.rows.map((x) => [
              x.quantity,
              x.claim ? `${x.claim}${x.seed === null ? '' : ` (${formatNumber(x.seed)})`}` : formatNumber(x.seed),
              formatNumber(x.vaelab),
              formatNumber(x.distance),
              x.tolerance === null ? '-' : `±${formatNumber(x.tolerance)}`,
              x.verdict,
            ]),
          ];
          ctx.io.out(`${r.experiment} at budget ${r.budget}: ${r.budgetNote}`);
          for (const line of formatTable(rows, 2)) ctx.io.out(line);
          ctx.io.out(`report: ${r.report}`);
        })(),
      );
    });
}
