import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { loadRun } from '../../train/experiment.js';
import { m1Features, writeM1Features } from '../../train/m1Features.js';
import type { CommandContext, Opts } from '../context.js';
import { int, num } from '../flags.js';
import { prepareOutputDir } from '../outputs.js';

/** `vaelab features`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('features')
    .description(COMMAND_DESCRIPTIONS.features)
    .argument('<run-dir>')
    .requiredOption('--out <dir>', 'output directory for features.npy and labels.npy')
    .option('--min-std <s>', 'keep the latents whose mean varies more than this across the training data', num(true), 0.1)
    .option('--threads <n>', 'onnxruntime threads', int())
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          prepareOutputDir(String(o.out));
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          const f = await m1Features(run, { minStd: o.minStd as number, threads: o.threads as number | undefined });
          const paths = writeM1Features(f, String(o.out));
          const { train, validation, test } = f.counts;
          ctx.io.out(
            `wrote ${f.labels.length} rows of ${f.kept.length} features (of ${run.model.latentSize} latents) to ${paths.features} and their labels to ${paths.labels}`,
          );
          ctx.io.out(
            `rows: ${train} train, ${validation} validation, ${test} test; M2 on them: --dataset ${paths.features} --labels-file ${paths.labels} --validation ${validation} --test ${test} --binarize none`,
          );
        })(),
      );
    });
}
