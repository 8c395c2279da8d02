import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { encodeToCsv } from '../../eval/encode.js';
import { loadRun } from '../../train/experiment.js';
import { evaluationSeed } from '../../train/seeds.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';
import { checkOutputFile } from '../outputs.js';

/** `vaelab encode`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('encode')
    .description(COMMAND_DESCRIPTIONS.encode)
    .argument('<run-dir>')
    .requiredOption('--out <file.csv>', 'output CSV')
    .addOption(new Option('--split <part>', 'which part of the data').choices(['test', 'validation', 'train']).default('test'))
    .option('--eval-n <n>', 'only the first n examples', int())
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          checkOutputFile(String(o.out));
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          const part = o.split as 'test' | 'validation' | 'train';
          const source = run.data[part];
          if (!source) throw new UserError(`the run's dataset has no ${part} part`);
          const rows = await encodeToCsv(run.model, source, String(o.out), {
            n: o.evalN as number | undefined,
            preprocess: run.data.preprocess,
            seed: evaluationSeed(run.config),
          });
          ctx.io.out(`wrote mu and sigma of ${rows} ${part} examples to ${o.out}`);
        })(),
      );
    });
}
