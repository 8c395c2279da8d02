import { existsSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { chooseData, compressData } from '../../compress/compressRun.js';
import { compressLossy } from '../../compress/lossyFile.js';
import { range, subset } from '../../data/dataset.js';
import type { LoadedRun } from '../../train/experiment.js';
import { loadRun } from '../../train/experiment.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';

/** `vaelab compress`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('compress')
    .description(COMMAND_DESCRIPTIONS.compress)
    .argument('<run-dir>')
    .requiredOption('--out <file>', 'the compressed file')
    .option('--dataset <name|path>', "data set name, or an IDX/NPY/CSV file or PNG folder (default: the run's)")
    .addOption(new Option('--split <part>', 'which part (default: test, or the whole file)').choices(['test', 'validation', 'train']))
    .option('--eval-n <n>', 'only the first n examples', int())
    .option('--seed <n>', 'seed of the binarization (Bernoulli decoders) and of the initial bits', int(0), 0)
    .option('--lossy', 'lossy: quantise the posterior means of the active latents (see --bits); prints rate and distortion against PCA')
    .option('--bits <b>', 'bits per coded latent with --lossy', int(), 4)
    .option('--json', 'print the result as one JSON line')
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          if (existsSync(String(o.out))) throw new UserError(`${o.out} exists: choose another --out (compress never overwrites)`);
          const run = await loadRun(dir);
          if (o.lossy) return lossy(run, o, ctx);
          const r = await compressData(
            run.model,
            {
              dataset: (o.dataset as string | undefined) ?? run.config.train.dataset,
              split: o.split as 'test' | undefined,
              n: o.evalN as number | undefined,
            },
            { seed: o.seed as number },
          );
          writeFileSync(String(o.out), r.bytes);
          const result = {
            out: o.out,
            count: r.symbols.count,
            values: r.symbols.values,
            bytes: r.bytes.length,
            bitsPerDim: r.fileBitsPerDim,
            payloadBitsPerDim: r.payloadBitsPerDim,
            negElboBitsPerDim: r.negElboBitsPerDim,
            overhead: r.overhead,
            seconds: r.seconds,
          };
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            ctx.io.out(
              `wrote ${r.symbols.count} ${r.symbols.values} images to ${o.out}: ${r.bytes.length} bytes in ${r.seconds.toFixed(1)} s`,
            );
            ctx.io.out(
              `${r.fileBitsPerDim.toFixed(4)} bits/dim (payload ${r.payloadBitsPerDim.toFixed(4)}); model −ELBO ${r.negElboBitsPerDim.toFixed(4)} bits/dim; overhead ${(100 * r.overhead).toFixed(2)} %`,
            );
          }
        })(),
      );
    });
}

/** PCA is fitted on the first 5,000 training examples (covariance in pure TypeScript: seconds, not minutes). */
const PCA_TRAIN = 5000;

async function lossy(run: LoadedRun, o: Opts, ctx: CommandContext): Promise<void> {
  const source = chooseData({
    dataset: (o.dataset as string | undefined) ?? run.config.train.dataset,
    split: o.split as 'test' | undefined,
    n: o.evalN as number | undefined,
  });
  const train = run.data.train;
  const r = await compressLossy(run.model, source, o.bits as number, subset(train, range(0, Math.min(PCA_TRAIN, train.n))));
  writeFileSync(String(o.out), r.bytes);
  if (o.json) ctx.io.out(JSON.stringify({ out: o.out, count: r.count, bytes: r.bytes.length, vae: r.vae, pca: r.pca }));
  else {
    ctx.io.out(
      `wrote ${r.count} lossy codes to ${o.out} (${r.bytes.length} bytes): ${r.vae.coded} active latents × ${r.vae.bits} bits = ${r.vae.rate} bits/image`,
    );
    ctx.io.out(
      `VAE: MSE ${r.vae.mse.toFixed(5)}, PSNR ${r.vae.psnr.toFixed(2)} dB` +
        (r.pca
          ? `; PCA (${r.pca.coded} components × ${r.pca.bits} bits): MSE ${r.pca.mse.toFixed(5)}, PSNR ${r.pca.psnr.toFixed(2)} dB`
          : ''),
    );
  }
}
