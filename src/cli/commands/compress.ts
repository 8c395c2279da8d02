import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { compressData } from '../../compress/compressRun.js';
import { loadRun } from '../../train/experiment.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';

/** `vaelab compress`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('compress')
    .description('compress images losslessly with a trained VAE (bits-back coding with rANS); prints bits per dimension against the model\'s −ELBO')
    .argument('<run-dir>')
    .requiredOption('--out <file>', 'the compressed file')
    .option('--dataset <name|path>', 'data set name, or an IDX/NPY/CSV file or PNG folder (default: the run\'s)')
    .addOption(new Option('--split <part>', 'which part (default: test, or the whole file)').choices(['test', 'validation', 'train']))
    .option('--eval-n <n>', 'only the first n examples', int())
    .option('--seed <n>', 'seed of the binarization (Bernoulli decoders) and of the initial bits', int(0), 0)
    .option('--json', 'print the result as one JSON line')
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir);
          const r = await compressData(run.model, { dataset: (o.dataset as string | undefined) ?? run.config.train.dataset, split: o.split as 'test' | undefined, n: o.evalN as number | undefined }, { seed: o.seed as number });
          writeFileSync(String(o.out), r.bytes);
          const result = {
            out: o.out, count: r.symbols.count, values: r.symbols.values, bytes: r.bytes.length, bitsPerDim: r.fileBitsPerDim, payloadBitsPerDim: r.payloadBitsPerDim,
            negElboBitsPerDim: r.negElboBitsPerDim, overhead: r.overhead, seconds: r.seconds,
          };
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            ctx.io.out(`wrote ${r.symbols.count} ${r.symbols.values} images to ${o.out}: ${r.bytes.length} bytes in ${r.seconds.toFixed(1)} s`);
            ctx.io.out(`${r.fileBitsPerDim.toFixed(4)} bits/dim (payload ${r.payloadBitsPerDim.toFixed(4)}); model −ELBO ${r.negElboBitsPerDim.toFixed(4)} bits/dim; overhead ${(100 * r.overhead).toFixed(2)} %`);
          }
        })(),
      );
    });
}
