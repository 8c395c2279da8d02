/**
 * The `vaelab` command (STYLE 9: a thin CLI). Each subcommand parses its flags into the library's
 * typed config and calls the library; one catch turns a user error into a one-paragraph message
 * and exit code 1.
 *
 *   vaelab train [--preset NAME] [flags]      train, evaluate, write a run directory
 *   vaelab train --resume RUN_DIR             continue a run from its latest checkpoint
 *   vaelab eval RUN_DIR [--eval-k K]          test ELBO, NLL and active units of a saved run
 *   vaelab sample RUN_DIR --out FILE.png      a grid of samples
 *   vaelab encode RUN_DIR --out FILE.csv      μ and σ of q(z|x) per test example
 *   vaelab export RUN_DIR --out DIR           encoder.onnx and decoder.onnx with the trained parameters
 *   vaelab report RUN_DIR                     (re)write RUN_DIR/report/index.html and its pictures
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../models/config.js';
import { ACTIVATIONS } from '../nn/activation.js';
import { ARCHITECTURES, DECODERS, MODEL_KINDS, PRIORS } from '../models/config.js';
import { OBJECTIVE_KINDS } from '../objectives/config.js';
import { DataError } from '../data/errors.js';
import { CheckpointError } from '../engine/checkpoint.js';
import { BINARIZE } from '../train/config.js';
import { LR_SCHEDULES } from '../train/schedules.js';
import { NonFiniteError } from '../train/finite.js';
import { createProgress } from '../train/progress.js';
import { PRESET_NAMES, PRESETS } from '../train/presets.js';
import {
  evaluateModel, inferObjectiveKind, loadRun, mergeConfigs, resumeExperiment, runExperiment, type RunConfigInput, type RunSummary,
} from '../train/experiment.js';
import { SAMPLE_MODES, sampleModel, type SampleMode } from '../eval/sample.js';
import { imageShape, squareLayout, writeImageGrid } from '../report/canvas.js';
import { encodeToCsv } from '../eval/encode.js';
import { exportModel } from '../models/export.js';
import { writeReport } from '../report/report.js';
import { int, intList, num, withFlagNames } from './flags.js';

/** A mistake of the user's (bad flag, missing file) as opposed to a bug: printed without a stack. */
class UserError extends Error {}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

type Opts = Record<string, unknown>;

function trainFlagsToConfig(o: Opts): RunConfigInput {
  const model: Record<string, unknown> = {
    kind: o.model, decoder: o.decoder, prior: o.prior, components: o.components, latent: o.latent, hidden: o.hidden,
    activation: o.activation, architecture: o.architecture, k: o.k,
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

function buildProgram(io: Io, setResult: (p: Promise<void>) => void): Command {
  const program = new Command('vaelab')
    .description('Variational autoencoders: train them, measure them, look at them.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')), outputError: () => {} })
    .showHelpAfterError(false);

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
    setResult(
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
          for (const line of formatSummary(summary)) io.err(line);
          io.out(JSON.stringify(summary));
        } else for (const line of formatSummary(summary)) io.out(line);
      })(),
    );
  });

  program
    .command('eval')
    .description('recompute test ELBO, NLL and active units from a run directory\'s checkpoint')
    .argument('<run-dir>')
    .option('--eval-k <n>', 'importance samples of the NLL estimate', int(0))
    .option('--eval-n <n>', 'test examples', int())
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--json', 'print the result as one JSON line')
    .action((dir: string, o: Opts) => {
      setResult(
        (async () => {
          const run = await loadRun(dir);
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const r = await evaluateModel(run.model, run.config, run.data.test, {
            ...(o.evalK !== undefined ? { k: o.evalK as number } : {}), ...(o.evalN !== undefined ? { n: o.evalN as number } : {}),
          });
          const result = { runDir: dir, testElbo: r.elbo, testReconstruction: r.reconstruction, testKl: r.kl, testNll: r.nll, nllK: r.nllK, evalN: r.n, activeUnits: r.activeUnits, activity: r.activity, klPerLatent: r.klPerLatent, evalSeconds: r.seconds };
          if (o.json) io.out(JSON.stringify(result));
          else {
            io.out(`test ELBO ${r.elbo.toFixed(2)} nats (reconstruction ${r.reconstruction.toFixed(2)}, KL ${r.kl.toFixed(2)}) on ${r.n} examples`);
            io.out(`test NLL ${r.nll === null ? '-' : r.nll.toFixed(2)} nats (K = ${r.nllK}); active units ${r.activeUnits}/${r.activity.length}`);
          }
        })(),
      );
    });

  program
    .command('sample')
    .description('draw samples from the prior and write them as a PNG grid')
    .argument('<run-dir>')
    .option('--n <n>', 'number of samples', int(), 64)
    .addOption(new Option('--mode <mode>', 'ancestral: x ~ p(x|z); mean: E[x|z]; alpha: mu_x + alpha sigma_x').choices(SAMPLE_MODES).default('ancestral'))
    .option('--alpha <a>', 'alpha of --mode alpha', num(true), 0.5)
    .option('--seed <n>', 'random seed', int(0), 0)
    .requiredOption('--out <file.png>', 'output PNG')
    .action((dir: string, o: Opts) => {
      setResult(
        (async () => {
          const run = await loadRun(dir);
          const img = imageShape(run.config.model.dataShape);
          if (!img) throw new UserError(`the run's data have shape [${run.config.model.dataShape}], not images ([H, W], [1, H, W] or [3, H, W]); sample writes a PNG grid of images`);
          const images = await sampleModel(run.model, { n: o.n as number, mode: o.mode as SampleMode, alpha: o.alpha as number, seed: o.seed as number });
          writeImageGrid(String(o.out), images, img, squareLayout(o.n as number));
          io.out(`wrote ${o.n} samples (${o.mode}) to ${o.out}`);
        })(),
      );
    });

  program
    .command('encode')
    .description('write the posterior mean and standard deviation of every test example as CSV')
    .argument('<run-dir>')
    .requiredOption('--out <file.csv>', 'output CSV')
    .addOption(new Option('--split <part>', 'which part of the data').choices(['test', 'validation', 'train']).default('test'))
    .option('--eval-n <n>', 'only the first n examples', int())
    .action((dir: string, o: Opts) => {
      setResult(
        (async () => {
          const run = await loadRun(dir);
          const part = o.split as 'test' | 'validation' | 'train';
          const source = run.data[part];
          if (!source) throw new UserError(`the run's dataset has no ${part} part`);
          const rows = await encodeToCsv(run.model, source, String(o.out), { n: o.evalN as number | undefined, preprocess: run.data.preprocess, seed: run.config.train.seed });
          io.out(`wrote mu and sigma of ${rows} ${part} examples to ${o.out}`);
        })(),
      );
    });
  program
    .command('export')
    .description('write the trained encoder and decoder as standalone ONNX files (parameters included)')
    .argument('<run-dir>')
    .requiredOption('--out <dir>', 'output directory for encoder.onnx and decoder.onnx')
    .option('--batch <n>', 'batch size the graphs take (ONNX shapes are static)', int(), 1)
    .action((dir: string, o: Opts) => {
      setResult(
        (async () => {
          const run = await loadRun(dir);
          const files = await exportModel(run.model, String(o.out), o.batch as number);
          io.out(`wrote ${files.encoder} (x -> mu, sigma) and ${files.decoder} (z -> ${files.decoderOutputs.join(', ')}), batch ${o.batch}`);
        })(),
      );
    });
  program
    .command('report')
    .description('write RUN_DIR/report/: index.html with the run\'s numbers, reconstructions, samples, latent pictures and charts')
    .argument('<run-dir>')
    .option('--eval-n <n>', 'test examples to encode for the latent pictures (default 2000)', int())
    .option('--seed <n>', 'random seed of the samples (default: the run\'s)', int(0))
    .option('--threads <n>', 'onnxruntime threads', int())
    .action((dir: string, o: Opts) => {
      setResult(
        (async () => {
          const r = await writeReport(dir, { n: o.evalN as number | undefined, seed: o.seed as number | undefined, threads: o.threads as number | undefined });
          io.out(`wrote ${r.files.length} pictures and charts in ${r.seconds.toFixed(1)} s`);
          io.out(`report: ${r.index}`);
        })(),
      );
    });
  return program;
}

/** Whether an error is the user's (reported as a message) rather than a bug (reported with its stack). */
function isUserError(e: unknown): e is Error {
  return e instanceof UserError || e instanceof ConfigError || e instanceof DataError || e instanceof CheckpointError || e instanceof NonFiniteError ||
    (e instanceof Error && /is not a run directory|has no checkpoint|is larger than the|has no test part|needs a Gaussian decoder|ENOENT/.test(e.message));
}

/**
 * Entry point of the `vaelab` command: runs `argv` (without the node and script arguments) and
 * returns the process exit code: 0 on success, 1 on a user error (one paragraph on stderr), 2 on a bug.
 */
export async function main(argv: string[], io: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') }): Promise<number> {
  let pending: Promise<void> | undefined;
  const program = buildProgram(io, (p) => (pending = p));
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (!pending && argv.length === 0) {
      io.err(program.helpInformation());
      return 1;
    }
    await pending;
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') return 1;
      io.err(`vaelab: ${e.message.replace(/^error: /, '')} (see vaelab ${argv[0] ?? ''} --help)`);
      return 1;
    }
    if (isUserError(e)) {
      io.err(`vaelab: ${withFlagNames(e.message)}`);
      return 1;
    }
    io.err(`vaelab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}
