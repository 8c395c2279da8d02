import { type Command, Option } from 'commander';
import { ACTIVATIONS } from '../../nn/activation.js';
import { ARCHITECTURES, DECODERS, MODEL_KINDS, PRIORS } from '../../models/config.js';
import { OBJECTIVE_KINDS } from '../../objectives/config.js';
import { BINARIZE } from '../../train/config.js';
import { LR_SCHEDULES } from '../../train/schedules.js';
import { createProgress } from '../../train/progress.js';
import { PRESET_NAMES, PRESETS } from '../../train/presets.js';
import { inferObjectiveKind, mergeConfigs, resumeExperiment, runExperiment, type RunConfigInput, type RunSummary } from '../../train/experiment.js';
import { writeReport } from '../../report/report.js';
import type { CommandContext, Opts } from '../context.js';
import { int, intList, num } from '../flags.js';

function trainFlagsToConfig(o: Opts): RunConfigInput {
  const model: Record<string, unknown> = {
    kind: o.model, decoder: o.decoder, prior: o.prior, components: o.components, latent: o.latent, hidden: o.hidden,
    activation: o.activation, architecture: o.architecture, k: o.k,
    pixelLayers: o.pixelLayers, pixelKernel: o.pixelKernel, pixelChannels: o.pixelChannels,
  };
  const objective: Record<string, unknown> = {
    kind: o.objective, beta: o.beta, k: o.k,
    capacity: o.capacity !== undefined ? { max: o.capacity, ...(o.capacitySteps !== undefined ? { steps: o.capacitySteps } : {}) } : undefined,
    freeBits: o.freeBits !== undefined ? { lambda: o.freeBits } : undefined,
  };
  const train: Record<string, unknown> = {
    dataset: o.dataset, binarize: o.binarize, batch: o.batch, epochs: o.epochs, maxSteps: o.maxSteps, lr: o.lr,
    lrSchedule: o.lrSchedule !== undefined ? { kind: o.lrSchedule } : undefined, seed: o.seed, threads: o.threads,
    warmupEpochs: o.warmup, validation: o.validation, test: o.test, patience: o.patience, checkpointEvery: o.checkpointEvery,
    clipNorm: o.clipNorm, trainN: o.trainN, stepsPerRun: o.stepsPerRun,
  };
  const evalCfg: Record<string, unknown> = { k: o.evalK, n: o.evalN, enabled: o.eval === false ? false : undefined };
  // A flag that changes the objective (without --objective) re-infers its kind over the preset's.
  const objectiveFlags = [o.model, o.beta, o.capacity, o.freeBits, o.warmup].some((v) => v !== undefined);
  if (objective.kind === undefined && objectiveFlags) {
    const defined = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    objective.kind = inferObjectiveKind(defined(model), defined(objective), defined(train));
  }
  return { model, objective, train, eval: evalCfg };
}

function formatSummary(s: RunSummary): string[] {
  const f = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d));
  const lines = [`run directory: ${s.runDir} (${s.steps} steps, ${f(s.epochs)} epochs, ${s.stopped})`];
  if (s.bestValidationElbo !== null) lines.push(`best validation ELBO ${f(s.bestValidationElbo)} nats`);
  if (s.testElbo !== null) {
    lines.push(`test ELBO ${f(s.testElbo)} nats (reconstruction ${f(s.testReconstruction)}, KL ${f(s.testKl)}) on ${s.evalN} examples`);
    lines.push(`test NLL ${f(s.testNll)} nats (importance sampling, K = ${s.nllK}); active units ${s.activeUnits ?? '-'}`);
  }
  lines.push(`${f(s.secPerEpoch)} s/epoch, ${f(s.msPerStep)} ms/step (median)`);
  if (s.report) lines.push(`report: ${s.report}`);
  return lines;
}

function defaultOut(preset: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${preset}-${t}`;
}
/** `vaelab train`. */
export function register(program: Command, ctx: CommandContext): void {
  const train = program
    .command('train')
    .description('train a model, evaluate it on the test set, and write a run directory')
    .addOption(new Option('--preset <name>', 'start from a named configuration').choices(PRESET_NAMES).default('quick'))
    .option('--dataset <name|path>', 'mnist, fashion-mnist, dsprites, ppca, gmm, rings, pinwheel, or a file/folder')
    .addOption(new Option('--model <kind>', 'model family').choices(MODEL_KINDS))
    .addOption(new Option('--decoder <kind>', 'p(x|z)').choices(DECODERS))
    .addOption(new Option('--prior <kind>', 'p(z)').choices(PRIORS))
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
    .option('--warmup <epochs>', 'KL warm-up: epochs over which beta rises from 0', num())
    .option('--free-bits <nats>', 'free bits: minimum KL per latent group', num(true))
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
    .option('--patience <n>', 'early stopping: validations without improvement (0: never)', int(0))
    .option('--checkpoint-every <n>', 'checkpoint every n steps (0: only at the end)', int(0))
    .option('--seed <n>', 'random seed', int(0))
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--steps-per-run <n>', 'training steps per onnxruntime run (an ONNX Loop; same results, faster; default 8)', int())
    .option('--eval-k <n>', 'importance samples of the final NLL estimate (0: none)', int(0))
    .option('--eval-n <n>', 'test examples of the final evaluation', int())
    .option('--no-eval', 'skip the final evaluation')
    .option('--no-report', 'do not write the report (pictures and charts) at the end')
    .option('--out <dir>', 'run directory (default runs/<preset>-<time>)')
    .option('--resume <run-dir>', 'continue the run in <run-dir> from its latest checkpoint')
    .option('--json', 'print a JSON summary as the last line of stdout')
    .option('--quiet', 'no progress output');
  train.action((o: Opts) => {
    ctx.run(
      (async () => {
        const progress = createProgress({ mode: o.quiet ? 'silent' : 'auto' });
        const report = o.report === false ? undefined : async (dir: string) => (await writeReport(dir, { log: (l) => progress.log(l) })).index;
        let summary: RunSummary;
        if (o.resume) {
          summary = await resumeExperiment(String(o.resume), {
            epochs: o.epochs as number | undefined, maxSteps: o.maxSteps as number | undefined, stepsPerRun: o.stepsPerRun as number | undefined, progress, report,
          });
        } else {
          const preset = String(o.preset);
          const config = mergeConfigs(PRESETS[preset as keyof typeof PRESETS], trainFlagsToConfig(o));
          summary = await runExperiment(config, { out: (o.out as string | undefined) ?? defaultOut(preset), progress, report });
        }
        if (o.json) {
          for (const line of formatSummary(summary)) ctx.io.err(line);
          ctx.io.out(JSON.stringify(summary));
        } else for (const line of formatSummary(summary)) ctx.io.out(line);
      })(),
    );
  });

}
