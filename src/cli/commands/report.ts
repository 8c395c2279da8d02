import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { writeReport } from '../../report/report.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';

/** `vaelab report`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description(COMMAND_DESCRIPTIONS.report)
    .argument('<run-dir>')
    .option('--eval-n <n>', 'test examples to encode for the latent pictures (default 2000)', int())
    .option('--seed <n>', "random seed of the samples (default: the run's)", int(0))
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--generation', 'add sample grids per sampler (prior, aggregate, gmm, two-stage) with Fréchet distance, precision and recall')
    .option('--generation-n <n>', 'samples (and test images) per sampler of --generation', int(2), 2000)
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const r = await writeReport(dir, {
            n: o.evalN as number | undefined,
            seed: o.seed as number | undefined,
            threads: o.threads as number | undefined,
            log: o.generation ? ctx.io.out : (l) => l.startsWith('warning') && ctx.io.err(`vaelab: ${l}`),
            ...(o.generation ? { generation: { n: o.generationN as number } } : {}),
          });
          ctx.io.out(`wrote ${r.files.length} pictures and charts in ${r.seconds.toFixed(1)} s`);
          ctx.io.out(`report: ${r.index}`);
        })(),
      );
    });
}
