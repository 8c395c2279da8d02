/**
 * A whole run from one configuration: load and split the data, build the model and objective,
 * train, evaluate on the test set, and write the run directory. The CLI only parses flags into a
 * {@link RunConfigInput} and calls {@link runExperiment}, {@link resumeExperiment} or {@link loadRun}.
 */
import { existsSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { Random } from '../engine/random.js';
import { GraphError } from '../engine/ops.js';
import { loadCheckpoint, restoreParameters } from '../engine/checkpoint.js';
import { range, subset, type Dataset, type Source } from '../data/dataset.js';
import { staticBinarize } from '../data/batches.js';
import { loadDataset } from '../data/registry.js';
import { ConfigError, parseModelConfig, type ModelConfig } from '../models/config.js';
import { createModel } from '../models/registry.js';
import type { LatentVariableModel } from '../models/types.js';
import { buildObjective, objectiveInputsAt, parseObjectiveConfig, type ObjectiveConfig } from '../objectives/config.js';
import { Evaluator, type EvaluationResult } from '../eval/evaluate.js';
import { evalConfigSchema, parseWith, trainConfigSchema, type EvalConfig, type TrainConfig } from './config.js';
import type { ProgressReporter } from './progress.js';
import { createRunDir, readRunConfig, runPaths } from './runDir.js';
import { checkpointDir, preprocessFor, train, type TrainResult } from './trainer.js';
import type { Preprocess } from '../data/batches.js';
import { balancedLabelSplit, type LabelledSplit } from '../data/labelledSplit.js';
import { classificationSummary, semiSupervisedSetup, type ClassificationSummary } from './semiSupervised.js';

const section = z.record(z.string(), z.unknown());

/** A run configuration as a user writes it: four sections, each optional, defaults filled in. */
export const runConfigInputSchema = z.object({
  model: section.default({}),
  objective: section.default({}),
  train: section.default({}),
  eval: section.default({}),
});

/** A run configuration as a user writes it. */
export interface RunConfigInput {
  model?: Record<string, unknown>;
  objective?: Record<string, unknown>;
  train?: Record<string, unknown>;
  eval?: Record<string, unknown>;
}

/** A resolved run configuration, as stored in config.json: every default filled in. */
export interface RunConfig {
  readonly model: ModelConfig;
  readonly objective: ObjectiveConfig;
  readonly train: TrainConfig;
  readonly eval: EvalConfig;
}

/** The data of a run, split and preprocessed as the run's config says. */
export interface RunData {
  readonly train: Source;
  readonly validation?: Source;
  readonly test?: Source;
  /** How the run turns examples into inputs (also used for validation and test). */
  readonly preprocess: Preprocess;
  /** The labelled and unlabelled parts of `train` when `train.labels` is set. */
  readonly labels?: LabelledSplit;
}

/** Merges `over` into `base` section by section (flags over a preset); undefined values are skipped. */
export function mergeConfigs(base: RunConfigInput, over: RunConfigInput): RunConfigInput {
  const out: RunConfigInput = {};
  for (const key of ['model', 'objective', 'train', 'eval'] as const) {
    const defined = Object.fromEntries(Object.entries(over[key] ?? {}).filter(([, v]) => v !== undefined));
    out[key] = { ...(base[key] ?? {}), ...defined };
  }
  return out;
}

/**
 * Loads the run's data: the named set or path, the validation/test hold-outs, a `trainN` slice, and
 * static binarization (one seeded draw of every image, shared by the splits of one base).
 */
export function loadRunData(config: TrainConfig): RunData {
  const loaded = loadDataset(config.dataset, { seed: config.seed, validation: config.validation || undefined, test: config.test || undefined });
  let trainSet: Source = loaded.train;
  if (config.trainN !== undefined && config.trainN < trainSet.n) trainSet = subset(trainSet, range(0, config.trainN), `${trainSet.name}[:${config.trainN}]`);
  let parts = { train: trainSet, validation: loaded.validation, test: loaded.test };
  if (config.binarize === 'static' && (trainSet.range === 'uint8' || trainSet.range === 'unit')) {
    const rng = new Random(config.seed + 0x57a7);
    const done = new Map<Dataset, Dataset>();
    const bin = (s: Source | undefined): Source | undefined => {
      if (!s) return s;
      const base = s.kind === 'subset' ? s.base : s;
      if (base.kind !== 'array') return s;
      let b = done.get(base);
      if (!b) done.set(base, (b = staticBinarize(base, rng)));
      return s.kind === 'subset' ? subset(b, s.indices, s.name) : b;
    };
    parts = { train: bin(parts.train)!, validation: bin(parts.validation), test: bin(parts.test) };
  }
  const labels = config.labels !== undefined ? balancedLabelSplit(parts.train, config.labels, config.seed) : undefined;
  return { ...parts, preprocess: preprocessFor(config.binarize, parts.train), ...(labels ? { labels } : {}) };
}

/** Which objective a partial config means when its kind is not given (IWAE model → L_K, β ≠ 1 → β-VAE, ...). */
export function inferObjectiveKind(model: Record<string, unknown>, o: Record<string, unknown>, t: Record<string, unknown>): string {
  if (o.kind !== undefined) return String(o.kind);
  if (model.kind === 'iwae') return 'iwae';
  if (o.capacity !== undefined) return 'capacity';
  if (o.freeBits !== undefined) return 'free-bits';
  if (o.warmupSteps !== undefined || t.warmupEpochs !== undefined) return 'warmup';
  if (o.beta !== undefined && o.beta !== 1) return 'beta';
  return 'elbo';
}

/**
 * Validates a run configuration and loads its data. Throws {@link ConfigError} naming each bad
 * field (`train.batch: expected a positive integer, got -1`).
 */
export function resolveRunConfig(input: RunConfigInput): { config: RunConfig; data: RunData } {
  try {
    return resolve(input);
  } catch (e) {
    // Lower layers report impossible splits and the like as RangeError/Error: the user's to fix.
    if (e instanceof Error && !(e instanceof ConfigError) && !(e instanceof GraphError) && e.name !== 'DataError') throw new ConfigError(e.message);
    throw e;
  }
}

function resolve(input: RunConfigInput): { config: RunConfig; data: RunData } {
  const r = parseWith(runConfigInputSchema, input, 'run');
  const trainCfg = parseWith(trainConfigSchema, r.train, 'train');
  const evalCfg = parseWith(evalConfigSchema, r.eval, 'eval');
  const data = loadRunData(trainCfg);
  const objIn: Record<string, unknown> = { ...r.objective, kind: inferObjectiveKind(r.model, r.objective, r.train) };
  const k = (objIn.k ?? r.model.k) as number | undefined;
  if (k !== undefined) objIn.k = k;
  if (trainCfg.warmupEpochs !== undefined) objIn.warmupSteps = Math.round(trainCfg.warmupEpochs * Math.floor(data.train.n / trainCfg.batch));
  const objective = parseObjectiveConfig(objIn);
  const model = parseModelConfig({ ...r.model, k: objective.k, dataShape: [...data.train.shape] });
  return { config: { model, objective, train: trainCfg, eval: evalCfg }, data };
}

/** The summary of a run (also the `--json` line and summary.json). */
export interface RunSummary {
  readonly runDir: string;
  readonly steps: number;
  readonly epochs: number;
  readonly stopped: TrainResult['reason'];
  /** The last training step's ELBO (the objective's bound, on one batch). */
  readonly trainElbo: number | null;
  readonly bestValidationElbo: number | null;
  readonly testElbo: number | null;
  readonly testReconstruction: number | null;
  readonly testKl: number | null;
  readonly testNll: number | null;
  readonly nllK: number;
  readonly evalN: number;
  readonly activeUnits: number | null;
  readonly klPerLatent: number[] | null;
  readonly secPerEpoch: number;
  readonly msPerStep: number;
  readonly evalSeconds: number | null;
  /** Test error and confusion matrix of runs that classify (M2, or M1 with train.labels). */
  readonly classification?: ClassificationSummary;
  /** Path of the report's index.html, when {@link RunOptions.report} wrote one. */
  readonly report?: string;
}

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** The run directory (created). */
  readonly out: string;
  readonly progress?: ProgressReporter;
  /** Stop after this many steps as if interrupted (tests of resume). */
  readonly stopAtStep?: number;
  /**
   * Writes the run's report after a run that was not interrupted and returns its index.html path
   * (the CLI passes report/'s `writeReport`; train/ may not import the layer above it, DESIGN.md).
   */
  readonly report?: (runDir: string) => Promise<string>;
}

async function trainAndEvaluate(
  config: RunConfig, data: RunData, model: LatentVariableModel, out: string, resume: boolean, opts: Omit<RunOptions, 'out'>,
): Promise<RunSummary> {
  const paths = runPaths(out);
  const semi = semiSupervisedSetup(model, {
    split: data.labels, alpha: config.objective.alpha, labelledBatch: config.train.labelledBatch, preprocess: data.preprocess, seed: config.train.seed,
    objective: config.objective,
  });
  const result = await train({
    model,
    objective: (x, noise, inputs) => {
      try {
        return buildObjective(model, x, noise, config.objective, inputs);
      } catch (e) {
        // A combination the objective does not support (free bits without a closed-form KL, ...).
        if (e instanceof Error && !(e instanceof GraphError)) throw new ConfigError(e.message);
        throw e;
      }
    },
    k: config.objective.k,
    inputsAt: (step) => objectiveInputsAt(config.objective, step),
    config: config.train,
    train: data.train,
    validation: data.validation,
    preprocess: data.preprocess,
    paths,
    resume,
    progress: opts.progress,
    stopAtStep: opts.stopAtStep,
    ...(semi ? { objective: semi.objective, train: semi.train, extraInputs: semi.extraInputs } : {}),
  });
  let ev: EvaluationResult | null = null;
  if (config.eval.enabled && result.reason !== 'interrupted') {
    if (!data.test) throw new ConfigError(`dataset ${config.train.dataset} has no test part: set train.test (--test N) to hold some out, or --no-eval`);
    opts.progress?.log(`evaluating on ${Math.min(data.test.n, config.eval.n ?? Infinity)} test examples (NLL with K = ${config.eval.k})...`);
    ev = await evaluateModel(model, config, data.test);
  }
  const classification = config.eval.enabled && result.reason !== 'interrupted'
    ? await classificationSummary(model, data, { seed: config.train.seed + 1, threads: config.train.threads })
    : null;
  const summary: RunSummary = {
    runDir: out,
    steps: result.steps,
    epochs: result.epochs,
    stopped: result.reason,
    trainElbo: result.last.elbo ?? null,
    bestValidationElbo: result.bestValidationElbo,
    testElbo: ev?.elbo ?? null,
    testReconstruction: ev?.reconstruction ?? null,
    testKl: ev?.kl ?? null,
    testNll: ev?.nll ?? null,
    nllK: ev?.nllK ?? 0,
    evalN: ev?.n ?? 0,
    activeUnits: ev?.activeUnits ?? null,
    klPerLatent: ev?.klPerLatent ?? null,
    secPerEpoch: result.secPerEpoch,
    msPerStep: result.msPerStep,
    evalSeconds: ev?.seconds ?? null,
    ...(classification ? { classification } : {}),
  };
  writeFileSync(paths.summary, JSON.stringify(summary, null, 2) + '\n');
  if (opts.report && result.reason !== 'interrupted') return { ...summary, report: await opts.report(out) };
  return summary;
}

/** Evaluates `model` on `test` with the run's eval settings (overrides allowed). */
export function evaluateModel(model: LatentVariableModel, config: RunConfig, test: Source, overrides: Partial<EvalConfig> = {}): Promise<EvaluationResult> {
  const e = { ...config.eval, ...overrides };
  return new Evaluator(model, {
    batch: e.batch, nllBatch: e.nllBatch, kChunk: e.kChunk, k: e.k, n: e.n,
    preprocess: preprocessFor(config.train.binarize, test), seed: config.train.seed + 1, threads: config.train.threads,
  }).evaluate(test);
}

/** Validates `input`, creates the run directory `opts.out`, trains, evaluates and returns the summary. */
export async function runExperiment(input: RunConfigInput, opts: RunOptions): Promise<RunSummary> {
  const { config, data } = resolveRunConfig(input);
  createRunDir(opts.out, config);
  const model = createModel(config.model, { seed: config.train.seed });
  return trainAndEvaluate(config, data, model, opts.out, false, opts);
}

/**
 * Continues the run in `dir` from its latest checkpoint (parameters, optimizer state, step, RNG
 * states and epoch position), optionally with a new length (`epochs`, `maxSteps`) or a new
 * `stepsPerRun` (which changes the speed, not the results).
 */
export async function resumeExperiment(
  dir: string, opts: { epochs?: number; maxSteps?: number; stepsPerRun?: number } & Omit<RunOptions, 'out'> = {},
): Promise<RunSummary> {
  const stored = readRunConfig(dir) as RunConfig;
  const over = { ...(opts.epochs ? { epochs: opts.epochs } : {}), ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}), ...(opts.stepsPerRun ? { stepsPerRun: opts.stepsPerRun } : {}) };
  const trainCfg = parseWith(trainConfigSchema, { ...stored.train, ...over }, 'train');
  const config: RunConfig = { ...stored, train: trainCfg };
  if (!existsSync(checkpointDir(runPaths(dir), 'latest'))) throw new ConfigError(`${dir} has no checkpoints/latest to resume from`);
  const data = loadRunData(trainCfg);
  const model = createModel(config.model, { seed: trainCfg.seed });
  return trainAndEvaluate(config, data, model, dir, true, opts);
}

/** A trained run loaded back: its config, data and model with the checkpoint's parameters. */
export interface LoadedRun {
  readonly config: RunConfig;
  readonly data: RunData;
  readonly model: LatentVariableModel;
}

/** Loads the run in `dir` with the parameters of checkpoint `final` (else `latest`). */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const stored = readRunConfig(dir) as RunConfig;
  const config: RunConfig = {
    model: parseModelConfig(stored.model),
    objective: parseObjectiveConfig(stored.objective),
    train: parseWith(trainConfigSchema, stored.train, 'train'),
    eval: parseWith(evalConfigSchema, stored.eval, 'eval'),
  };
  const paths = runPaths(dir);
  const name = existsSync(checkpointDir(paths, 'final')) ? 'final' : 'latest';
  const ckDir = checkpointDir(paths, name);
  if (!existsSync(ckDir)) throw new ConfigError(`${dir} has no checkpoint (looked for checkpoints/final and checkpoints/latest)`);
  const model = createModel(config.model, { seed: config.train.seed });
  const ck = await loadCheckpoint(ckDir);
  restoreParameters(model.store.all(), ck.groups.model, ckDir);
  return { config, data: loadRunData(config.train), model };
}
