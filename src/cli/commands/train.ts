import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { ACTIVATIONS } from '../../nn/activation.js';
import { ARCHITECTURES, DECODERS, MODEL_KINDS, PRIORS } from '../../models/config.js';
import { OBJECTIVE_KINDS } from '../../objectives/config.js';
import { BINARIZE } from '../../train/config.js';
import { LR_SCHEDULES } from '../../train/schedules.js';
import { createProgress } from '../../train/progress.js';
import { PRESET_NAMES, PRESETS } from '../../train/presets.js';
import { mergeConfigs, resumeExperiment, runExperiment, type RunSummary } from '../../train/experiment.js';
import { flagsToConfig } from '../../train/flagConfig.js';
import { defaultRunDir } from '../../train/runDir.js';
import { writeReport } from '../../report/report.js';
import type { CommandContext, Opts } from '../context.js';
import { finite, int, intList, num } from '../flags.js';
import { handleInterrupts, InterruptedError, SIGNAL_EXIT } from '../interrupt.js';
import { resumeOverrides } from '../resumeFlags.js';

function formatSummary(s: RunSummary): string[] {
  const f = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d));
  const lines = [`run directory: ${s.runDir} (${s.steps} steps, ${f(s.epochs)} epochs, ${s.stopped})`];
  if (s.bestValidationElbo !== null) lines.push(`best validation ELBO ${f(s.bestValidationElbo)} nats`);
  if (s.testElbo !== null) {
    const se = (v: number | null | undefined) => (v === null || v === undefined ? '' : ` ± ${f(v)}`);
    lines.push(
      `test ELBO ${f(s.testElbo)}${se(s.testElboSe)} nats (reconstruction ${f(s.testReconstruction)}, KL ${f(s.testKl)}) on ${s.evalN} examples`,
    );
    lines.push(
      `test NLL ${f(s.testNll)}${se(s.testNllSe)} nats (importance sampling, K = ${s.nllK}); active units ${s.activeUnitsPerLayer?.join('+') ?? s.activeUnits ?? '-'}`,
    );
    if (s.bitsPerDim !== null) lines.push(`${f(s.bitsPerDim, 4)} bits/dim`);
  }
  lines.push(`${f(s.secPerEpoch)} s/epoch, ${f(s.msPerStep)} ms/step (median)`);
  if (s.classification) {
    const c = s.classification;
    lines.push(
      `test error ${(100 * c.testError).toFixed(2)}% (${c.classifier})${c.baselineTestError === null ? '' : `; the same labels alone (1-NN on pixels): ${(100 * c.baselineTestError).toFixed(2)}%`}`,
    );
  }
  if (s.report) lines.push(`report: ${s.report}`);
  return lines;
}

/** `vaelab train`. */
export function register(program: Command, ctx: CommandContext): void {
  const train = program
    .command('train')
    .description(COMMAND_DESCRIPTIONS.train)
    .addOption(new Option('--preset <name>', 'start from a named configuration').choices(PRESET_NAMES).default('quick'))
    .option('--dataset <name|path>', 'mnist, fashion-mnist, dsprites, ppca, gmm, rings, pinwheel, or a file/folder')
    .addOption(new Option('--model <kind>', 'model family').choices(MODEL_KINDS))
    .option('--decoder <kind>', `p(x|z): ${DECODERS.join(', ')}, or one a --plugin registers`)
    .option('--prior <kind>', `p(z): ${PRIORS.join(', ')}, or one a --plugin registers`)
    .option('--components <n>', 'mixture components / VampPrior pseudo-inputs', int())
    .addOption(new Option('--architecture <kind>', 'encoder/decoder networks').choices(ARCHITECTURES))
    .option('--latent <d>', 'latent size', int())
    .option('--pixel-layers <n>', "gated PixelCNN blocks of the 'pixelvae' decoder (receptive field)", int())
    .option('--pixel-kernel <k>', "odd kernel size of the 'pixelvae' decoder's blocks", int())
    .option('--pixel-channels <n>', "feature channels of the 'pixelvae' decoder's blocks", int())
    .option('--hidden <widths>', 'hidden layer widths, e.g. 200,200', intList)
    .addOption(new Option('--activation <name>', 'activation function').choices(Object.keys(ACTIVATIONS)))
    .addOption(new Option('--objective <kind>', 'training objective (default: inferred from the other flags)').choices(OBJECTIVE_KINDS))
    .option('--k <n>', 'importance samples per example in training', int())
    .option('--beta <b>', 'weight of the KL term (beta-VAE)', num(true))
    .option('--capacity <nats>', 'controlled capacity: final KL target C', num(true))
    .option('--capacity-steps <n>', 'steps over which C rises from 0', int(0))
    .option('--capacity-gamma <γ>', 'controlled capacity: weight γ of |KL − C|', num())
    .option('--warmup <epochs>', 'KL warm-up: epochs over which beta rises from 0', num())
    .option('--free-bits <nats>', 'free bits: minimum KL per latent group', num(true))
    .option('--free-bits-groups <G>', 'free bits: number of latent groups (must divide the latent size, or 2 layers for hvae)', int())
    .option('--latent1 <d>', 'hvae: size of the lower stochastic layer z1', int())
    .option('--hidden2 <widths>', 'hvae: hidden widths between z1 and z2, e.g. 100,100', intList)
    .option('--sigma <s>', 'σ of the fixed-σ Gaussian decoder (gaussian-fixed)', num())
    .option('--flow-steps <n>', 'inverse autoregressive flow steps on q(z|x) (0: none)', int(0))
    .option('--flow-hidden <widths>', "hidden widths of each IAF step's MADE, e.g. 64", intList)
    .option('--flow-context <n>', 'size of the encoder context h the IAF steps read (0: none)', int(0))
    .addOption(new Option('--mixture-weights <how>', 'mog prior: uniform 1/C weights or learned').choices(['uniform', 'learned']))
    .option('--dequantize', 'x = (pixel + u)/256 for continuous decoders on 8-bit data (default with --binarize none)')
    .option('--no-dequantize', 'fit continuous decoders to the grey levels as they are')
    .option('--min-log-var <v>', "floor on the learned Gaussian decoder's log σ²", finite)
    .addOption(new Option('--binarize <how>', 'pixel binarization').choices(BINARIZE))
    .option('--batch <n>', 'examples per step', int())
    .option('--epochs <n>', 'passes over the training set', num())
    .option('--max-steps <n>', 'stop after this many steps', int())
    .option('--lr <rate>', 'base learning rate of Adam', num())
    .addOption(new Option('--lr-schedule <kind>', 'learning-rate schedule').choices(LR_SCHEDULES))
    .option('--clip-norm <c>', 'clip the global gradient norm', num())
    .option('--validation <n>', 'training examples held out for validation (count or fraction)', num(true))
    .option('--test <n>', 'examples held out for test, for sets without a test part', num(true))
    .option('--train-n <n>', 'train on the first n examples only', int())
    .option(
      '--labels <n>',
      'semi-supervised: n labelled training examples, balanced over classes (M2 trains on them; others get M1)',
      int(),
    )
    .option('--labelled-batch <n>', 'labelled examples per step of --model m2', int())
    .option('--labels-file <path>', 'labels of a dataset given as a file (IDX, NPY or CSV), e.g. from vaelab features')
    .option('--alpha <a>', 'M2: weight of the classification term (default 0.1 x training examples)', num(true))
    .option('--classes <n>', 'M2: number of classes', int())
    .option('--patience <n>', 'early stopping: validations without improvement (0: never)', int(0))
    .option('--checkpoint-every <n>', 'checkpoint every n steps (0: only at the end)', int(0))
    .option('--seed <n>', 'random seed', int(0))
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--steps-per-run <n>', 'training steps per onnxruntime run (an ONNX Loop; same results, faster; default 8)', int())
    .option('--eval-k <n>', 'importance samples of the final NLL estimate (0: none)', int(0))
    .option('--eval-n <n>', 'test examples of the final evaluation', int())
    .option('--no-eval', 'skip the final evaluation')
    .option('--surgery', 'also run ELBO surgery and the PCA / pPCA baselines over the training set at the end')
    .option('--no-report', 'do not write the report (pictures and charts) at the end')
    .option(
      '--plugin <file>',
      'a module that registers model parts (registerLikelihood, ...), imported first and recorded in the run (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--out <dir>', 'run directory (default runs/<preset>-<time>); must be new or empty')
    .option('--overwrite', 'replace the run already in --out')
    .option(
      '--resume <run-dir>',
      'continue the run in <run-dir> from its newest checkpoint (only length, speed and evaluation flags apply)',
    )
    .option('--json', 'print a JSON summary as the last line of stdout')
    .option('--quiet', 'no progress output');
  train.action((o: Opts) => {
    ctx.run(
      (async () => {
        const progress = createProgress({ mode: o.quiet ? 'silent' : 'auto' });
        const report =
          o.report === false ? undefined : async (dir: string) => (await writeReport(dir, { log: (l) => progress.log(l) })).index;
        const resumeDir = o.resume as string | undefined;
        const resume = resumeDir !== undefined ? resumeOverrides(train, o) : undefined;
        const out = resumeDir ?? (o.out as string | undefined) ?? defaultRunDir(String(o.preset));
        const interrupts = handleInterrupts(ctx.io);
        const onTrained = () =>
          interrupts.trainingDone(
            `stopping at once; the trained model is saved in ${out}/checkpoints/final, and \`vaelab train --resume ${out}\` runs the final evaluation`,
          );
        const run = { progress, report, signal: interrupts.signal, onTrained, warn: (l: string) => ctx.io.err(`vaelab: ${l}`) };
        let summary: RunSummary;
        try {
          if (resume) {
            if (resume.applied.length > 0) progress.log(`resume: applying ${resume.applied.join(', ')}`);
            summary = await resumeExperiment(out, { ...resume.overrides, ...run });
          } else {
            const config = mergeConfigs(PRESETS[String(o.preset) as keyof typeof PRESETS], flagsToConfig(o));
            summary = await runExperiment(config, { out, overwrite: o.overwrite === true, ...run });
          }
        } finally {
          interrupts.dispose();
        }
        const sig = interrupts.received();
        if (sig && summary.stopped === 'interrupted') {
          throw new InterruptedError(
            `${sig}: stopped at step ${summary.steps}; checkpoint written to ${summary.checkpoint}; continue with \`vaelab train --resume ${out}\``,
            SIGNAL_EXIT[sig],
          );
        }
        if (o.json) {
          for (const line of formatSummary(summary)) ctx.io.err(line);
          ctx.io.out(JSON.stringify(summary));
        } else for (const line of formatSummary(summary)) ctx.io.out(line);
      })(),
    );
  });
}
