import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { SAMPLE_MODES, sampleModel, type SampleMode } from '../../eval/sample.js';
import { createSampler, runSamplerContext, SAMPLER_NAMES, type SamplerName } from '../../eval/samplers/index.js';
import { imageShape, squareLayout, writeImageGrid } from '../../report/canvas.js';
import { loadRun } from '../../train/experiment.js';
import { evaluationSeed } from '../../train/seeds.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int, num } from '../flags.js';
import { checkOutputFile } from '../outputs.js';

/** Most samples in one grid: 10,000 images of 28×28 make a 2,800-pixel square PNG. */
const MAX_SAMPLES = 10000;

/** `vaelab sample`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('sample')
    .description(COMMAND_DESCRIPTIONS.sample)
    .argument('<run-dir>')
    .option('--n <n>', `number of samples (at most ${MAX_SAMPLES})`, int(1, MAX_SAMPLES), 64)
    .addOption(
      new Option('--mode <mode>', 'ancestral: x ~ p(x|z); mean: E[x|z]; alpha: mu_x + alpha sigma_x')
        .choices(SAMPLE_MODES)
        .default('ancestral'),
    )
    .option('--alpha <a>', 'alpha of --mode alpha', num(true), 0.5)
    .addOption(
      new Option(
        '--sampler <name>',
        'where z comes from: prior p(z); aggregate q(z); gmm fitted to the codes; two-stage VAE on the codes; pseudo-inputs (VampPrior)',
      )
        .choices(SAMPLER_NAMES)
        .default('prior'),
    )
    .option('--components <k>', 'mixture components of --sampler gmm', int(), 10)
    .addOption(new Option('--covariance <kind>', 'covariances of --sampler gmm').choices(['diag', 'full']).default('full'))
    .option('--seed <n>', "random seed (default: the run's evaluation seed, train.seed + 1)", int(0))
    .requiredOption('--out <file.png>', 'output PNG')
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          checkOutputFile(String(o.out));
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          const img = imageShape(run.config.model.dataShape);
          if (!img)
            throw new UserError(
              `the run's data have shape [${run.config.model.dataShape}], not images ([H, W], [1, H, W] or [3, H, W]); sample writes a PNG grid of images`,
            );
          const sampler = createSampler(o.sampler as SamplerName, runSamplerContext(run, dir, { log: ctx.io.out }), {
            components: o.components as number,
            covariance: o.covariance as 'diag' | 'full',
          });
          const images = await sampleModel(run.model, {
            n: o.n as number,
            mode: o.mode as SampleMode,
            alpha: o.alpha as number,
            seed: (o.seed as number | undefined) ?? evaluationSeed(run.config),
            sampler,
          });
          writeImageGrid(String(o.out), images, img, squareLayout(o.n as number));
          ctx.io.out(`wrote ${o.n} samples (${o.mode}, ${sampler.description}) to ${o.out}`);
        })(),
      );
    });
}
