/**
 * A whole run from one configuration: load and split the data, build the model and objective,
 * train, evaluate on the test set, and write the run directory. The CLI only parses flags into a
 * {@link RunConfigInput} and calls {@link runExperiment}, {@link resumeExperiment} or {@link loadRun}.
 */
import { z } from 'zod';
import { Random } from '../engine/random.js';
import { restoreParameters, writeFileAtomic } from '../engine/checkpoint.js';
import { range, subset, type Dataset, type Source } from '../data/dataset.js';
import { staticBinarize } from '../data/batches.js';
import { loadDataset } from '../data/registry.js';
import { splitDataset } from '../data/split.js';
import { ConfigError, parseModelConfig, type ModelConfig } from '../models/config.js';
import { createModel } from '../models/registry.js';
import { checkPartNames } from '../models/parts.js';
import { checkRebuildable, isModelObject, modelConfigOf } from './modelObject.js';
import { loadPlugins } from './plugins.js';
import { evaluationPreprocessing, evaluationSeed } from './seeds.js';
import type { LatentVariableModel } from '../models/types.js';
import { buildObjective, objectiveInputsAt, parseObjectiveConfig, type ObjectiveConfig } from '../objectives/config.js';
import { Evaluator, type EvaluateOptions, type EvaluationResult } from '../eval/evaluate.js';
import { noiseInputs } from '../models/noise.js';
import { input } from '../engine/ops.js';
import { newestCheckpoint } from './checkpoints.js';
import { evalConfigSchema, parseWith, trainConfigSchema, type EvalConfig, type TrainConfig } from './config.js';
import { initialiseFromData } from './dataInit.js';
import { pixelSupportWarnings, runBitsPerDim, wantsDequantize } from './pixelSupport.js';
import { checkDatasetIdentity, identifyDataset } from './datasetIdentity.js';
import { checkFiniteEvaluation } from './finite.js';
import { checkLimits } from './limits.js';
import type { ProgressReporter } from './progress.js';
import { createRunDir, openRunDir, readRunConfig, repairMetrics, runPaths, writeJsonFile, type RunPaths } from './runDir.js';
import { preprocessFor, train, type TrainResult } from './trainer.js';
import {
  evaluateFull,
  type FullEvaluation,
  type FullEvaluationOptions,
  type PcaComparison,
  type SurgeryRow,
} from '../eval/fullEvaluation.js';
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
  /** Modules that register the model's parts (`plugins.ts`); stored absolute. */
  plugins: z.array(z.string().min(1)).optional(),
});

/** A run configuration as a user writes it. */
export interface RunConfigInput {
  model?: Record<string, unknown>;
  objective?: Record<string, unknown>;
  train?: Record<string, unknown>;
  eval?: Record<string, unknown>;
  /** Modules to import first: they register the parts the model config names (`registerLikelihood`, ...). */
  plugins?: readonly string[];
}

/** What {@link runExperiment} takes: a run configuration whose model is a config section or a model object already built. */
export interface RunInput extends Omit<RunConfigInput, 'model'> {
  /** A model config section, or a model built by `createModel` or from registered parts (its `config` is what the run records). */
  model?: RunConfigInput['model'] | LatentVariableModel;
}

/** A resolved run configuration, as stored in config.json: every default filled in. */
export interface RunConfig {
  readonly model: ModelConfig;
  readonly objective: ObjectiveConfig;
  readonly train: TrainConfig;
  readonly eval: EvalConfig;
  /** Absolute paths of the modules that register the model's parts, imported before it is rebuilt (absent: none). */
  readonly plugins?: readonly string[];
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

/**
 * Merges `over` into `base` section by section (flags over a preset); undefined values are skipped.
 * When `over` changes what the objective is (a model kind, β, a capacity, free bits, a warm-up) without
 * naming its kind, the kind is inferred again from `over` ({@link inferObjectiveKind}) instead of kept
 * from `base`: `{ objective: { beta: 4 } }` over the quick preset is a β-VAE.
 */
export function mergeConfigs(base: RunConfigInput, over: RunConfigInput): RunConfigInput {
  const out: RunConfigInput = {};
  const defined = (key: 'model' | 'objective' | 'train' | 'eval'): Record<string, unknown> =>
    Object.fromEntries(Object.entries(over[key] ?? {}).filter(([, v]) => v !== undefined));
  for (const key of ['model', 'objective', 'train', 'eval'] as const) {
    const merged: Record<string, unknown> = { ...(base[key] ?? {}) };
    // One level deeper for nested options of the same kind (objective.capacity, objective.freeBits, ...):
    // `{ capacity: { steps: 2500 } }` over a preset keeps the preset's capacity.max and gamma, while a
    // schedule of another kind (`lrSchedule: { kind: 'cosine' }`) replaces the preset's whole.
    for (const [k, v] of Object.entries(defined(key))) {
      const was = merged[k];
      const sameKind = isPlainObject(v) && isPlainObject(was) && (v.kind === undefined || v.kind === was.kind);
      merged[k] = sameKind ? { ...was, ...v } : v;
    }
    out[key] = merged;
  }
  const [model, objective, train] = [defined('model'), defined('objective'), defined('train')];
  const changesObjective = [
    model.kind,
    objective.beta,
    objective.capacity,
    objective.freeBits,
    objective.warmupSteps,
    train.warmupEpochs,
  ].some((v) => v !== undefined);
  if (objective.kind === undefined && changesObjective)
    out.objective = { ...out.objective, kind: inferObjectiveKind(model, objective, train) };
  const plugins = [...(base.plugins ?? []), ...(over.plugins ?? [])];
  if (plugins.length > 0) out.plugins = plugins;
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a hold-out size (`train.validation`, `train.test`) against the n examples it comes from. */
function holdOut(size: number, n: number, field: 'validation' | 'test', dataset: string): number {
  const k = size > 0 && size < 1 ? Math.round(size * n) : size;
  if (!Number.isInteger(k) || k >= n || (size > 0 && k === 0)) {
    throw new ConfigError(
      `invalid train config: ${field}: ${dataset} has ${n} examples: expected a count in [1, ${n - 1}] or a fraction in (0, 1) that leaves training examples, got ${size}`,
    );
  }
  return k;
}

/**
 * Loads the run's data: the named set or path, the validation/test hold-outs (the last examples, as
 * `loadDataset` holds them out; their sizes are checked here so that the message names the flag), a
 * `trainN` slice, and static binarization (one seeded draw of every image, shared by the splits of one base).
 */
export function loadRunData(config: TrainConfig): RunData {
  let loaded = loadDataset(config.dataset, { seed: config.seed, labels: config.labelsFile });
  const n = loaded.train.n;
  const nVal = holdOut(config.validation, n, 'validation', config.dataset);
  const nTest = loaded.test ? 0 : holdOut(config.test, n, 'test', config.dataset);
  if (nVal + nTest >= n) {
    throw new ConfigError(
      `invalid train config: validation: ${nVal} validation + ${nTest} test examples leave none of the ${n} examples of ${config.dataset} for training`,
    );
  }
  if (nVal + nTest > 0) {
    const parts = splitDataset(loaded.train, { validation: nVal || undefined, test: nTest || undefined, from: 'end' });
    loaded = { ...loaded, train: parts.train, validation: parts.validation, test: parts.test ?? loaded.test };
  }
  let trainSet: Source = loaded.train;
  if (config.trainN !== undefined && config.trainN < trainSet.n)
    trainSet = subset(trainSet, range(0, config.trainN), `${trainSet.name}[:${config.trainN}]`);
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
  return { ...parts, preprocess: preprocessFor(config.binarize, parts.train, config.dequantize ?? false), ...(labels ? { labels } : {}) };
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
 * Options that do nothing for the chosen model: an error for the deterministic autoencoder (no
 * samples, no KL), warnings where they only change the estimate (K samples averaged in an ELBO).
 */
function uselessOptions(model: Record<string, unknown>, objective: ObjectiveConfig): string[] {
  const kind = model.kind ?? 'vae';
  const bad: string[] = [];
  if (kind === 'ae' && objective.k > 1)
    bad.push(`k: the deterministic autoencoder (model 'ae') draws no samples, so K = ${objective.k} does nothing; drop it`);
  if (kind === 'ae' && objective.kind === 'free-bits')
    bad.push(`freeBits.lambda: model 'ae' has no KL term for free bits to act on; drop it`);
  if (bad.length > 0) throw new ConfigError(`invalid objective config: ${bad.join('; ')}`);
  if (objective.k > 1 && objective.kind !== 'iwae') {
    return [
      `--k ${objective.k} with the '${objective.kind}' objective averages the ELBO over ${objective.k} samples (it does not train with the IWAE bound L_K; use --model iwae for that)`,
    ];
  }
  return [];
}

/**
 * Validates a run configuration and loads its data. Throws {@link ConfigError} naming each bad
 * field (`train.batch: expected a positive integer, got -1`) and sizes above their limits
 * (`limits.ts`), {@link DataError} for bad data; returns warnings about options that do little.
 */
export function resolveRunConfig(input: RunConfigInput): { config: RunConfig; data: RunData; warnings: string[] } {
  const r = parseWith(runConfigInputSchema, input, 'run');
  const parsedTrain = parseWith(
    trainConfigSchema,
    { ...r.train, ...(typeof r.train.dataset === 'string' && r.train.dataset !== '' ? identifyDataset(r.train.dataset) : {}) },
    'train',
  );
  const evalCfg = parseWith(evalConfigSchema, r.eval, 'eval');
  // 'bernoulli': the model schema's default decoder.
  const data = loadRunData({ ...parsedTrain, dequantize: wantsDequantize(parsedTrain, String(r.model.decoder ?? 'bernoulli')) });
  if (parsedTrain.dequantize && data.preprocess !== 'dequantize') {
    throw new ConfigError(
      `invalid train config: dequantize: needs 8-bit data (0..255), but ${data.train.name} holds '${data.train.range}' values`,
    );
  }
  const trainCfg: TrainConfig = { ...parsedTrain, dequantize: data.preprocess === 'dequantize' }; // recorded in config.json
  const objIn: Record<string, unknown> = { ...r.objective, kind: inferObjectiveKind(r.model, r.objective, r.train) };
  const k = (objIn.k ?? r.model.k) as number | undefined;
  if (k !== undefined) objIn.k = k;
  if (trainCfg.warmupEpochs !== undefined)
    objIn.warmupSteps = Math.round(trainCfg.warmupEpochs * Math.floor(data.train.n / trainCfg.batch));
  const objective = parseObjectiveConfig(objIn);
  const warnings = uselessOptions(r.model, objective);
  const model = parseModelConfig({ ...r.model, k: objective.k, dataShape: [...data.train.shape] });
  checkPartNames(model);
  const config = { model, objective, train: trainCfg, eval: evalCfg, ...(r.plugins?.length ? { plugins: r.plugins } : {}) };
  checkLimits(config);
  return { config, data, warnings };
}

/**
 * Validates a stored config.json (every section, as flags are validated), so that an edited file
 * with `eval.n = "abc"` is a message naming the file and the field, not a failure later.
 */
export function parseStoredConfig(stored: unknown, file: string): RunConfig {
  const s = parseWith(runConfigInputSchema, stored, 'run');
  const inFile = (f: () => RunConfig): RunConfig => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`${file}: ${e.message}`);
      throw e;
    }
  };
  return inFile(() => {
    const config: RunConfig = {
      model: parseModelConfig(s.model),
      objective: parseObjectiveConfig(s.objective),
      train: parseWith(trainConfigSchema, s.train, 'train'),
      eval: parseWith(evalConfigSchema, s.eval, 'eval'),
      ...(s.plugins?.length ? { plugins: s.plugins } : {}),
    };
    checkPartNames(config.model);
    checkLimits(config);
    return config;
  });
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
  /** The pixel-support warnings of the run (seed 004, §5.3), also printed once at its start. */
  readonly warnings: string[];
  /** The test NLL (−ELBO when K = 0) in bits per dimension, with log 256 per pixel for dequantized data; null where it has no discrete meaning. */
  readonly bitsPerDim: number | null;
  readonly secPerEpoch: number;
  readonly msPerStep: number;
  readonly evalSeconds: number | null;
  /** Standard errors of the test ELBO and NLL over the examples, and active units per stochastic layer (eval/). */
  readonly testElboSe?: number | null;
  readonly testNllSe?: number | null;
  readonly activeUnitsPerLayer?: number[] | null;
  /** With eval.surgery (--surgery): seed 002's ELBO-surgery row and the PCA / pPCA comparison. */
  readonly surgery?: SurgeryRow | null;
  readonly pca?: PcaComparison | null;
  /** Test error and confusion matrix of runs that classify (M2, or M1 with train.labels). */
  readonly classification?: ClassificationSummary;
  /** Path of the report's index.html, when {@link RunOptions.report} wrote one. */
  readonly report?: string;
  /** Where an interrupted run was checkpointed (`stopped: 'interrupted'`). */
  readonly checkpoint?: string;
}

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** The run directory (created; refused when it holds anything, see `runDir.ts`). */
  readonly out: string;
  /** Replace a previous run in `out` instead of refusing. */
  readonly overwrite?: boolean;
  /** Aborting it (Ctrl-C, SIGTERM) stops training after the current steps, with a checkpoint to resume from. */
  readonly signal?: AbortSignal;
  /** Called when training has ended (not interrupted) and its final checkpoint is written, before the evaluation. */
  readonly onTrained?: () => void;
  /** Receives warnings (options that do little, checkpoints skipped); default: `progress.log`. */
  readonly warn?: (line: string) => void;
  readonly progress?: ProgressReporter;
  /** Stop after this many steps as if interrupted (tests of resume). */
  readonly stopAtStep?: number;
  /**
   * Writes the run's report after a run that was not interrupted and returns its index.html path
   * (the CLI passes report/'s `writeReport`; train/ may not import the layer above it, DESIGN.md).
   */
  readonly report?: (runDir: string) => Promise<string>;
}

/**
 * What would otherwise fail only once training has started, or after it: a batch larger than the
 * training set, an objective the model does not support (traced once on a batch of one), a final
 * evaluation without a test part.
 */
function checkBeforeTraining(config: RunConfig, data: RunData, model: LatentVariableModel): void {
  if (config.eval.enabled && !data.test) {
    throw new ConfigError(`dataset ${config.train.dataset} has no test part: set train.test (--test N) to hold some out, or --no-eval`);
  }
  if (config.train.batch > data.train.n)
    throw new ConfigError(`invalid train config: batch: ${config.train.batch} is larger than the ${data.train.n} training examples`);
  const noise = noiseInputs(model.noise(1, config.objective.k));
  buildObjective(model, input('x', [1, model.dataSize]), noise, config.objective, {
    beta: input('beta', []),
    capacity: input('capacity', []),
  });
}

async function trainAndEvaluate(
  config: RunConfig,
  data: RunData,
  model: LatentVariableModel,
  paths: RunPaths,
  resume: Parameters<typeof train>[0]['resume'],
  opts: Omit<RunOptions, 'out'>,
): Promise<RunSummary> {
  const out = paths.dir;
  const warnings = pixelSupportWarnings(config.model, data.train, data.preprocess);
  for (const w of warnings) opts.progress?.log(w);
  const semi = semiSupervisedSetup(model, {
    split: data.labels,
    alpha: config.objective.alpha,
    labelledBatch: config.train.labelledBatch,
    preprocess: data.preprocess,
    seed: config.train.seed,
    objective: config.objective,
  });
  const result = await train({
    model,
    objective: (x, noise, inputs) => buildObjective(model, x, noise, config.objective, inputs),
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
    signal: opts.signal,
    ...(semi ? { objective: semi.objective, train: semi.train, extraInputs: semi.extraInputs } : {}),
  });
  // A signal that came while the last checkpoints were written stops the run before its evaluation.
  const interrupted = result.reason === 'interrupted' || opts.signal?.aborted === true;
  if (!interrupted) opts.onTrained?.();
  let ev: (EvaluationResult & Partial<FullEvaluation>) | null = null;
  if (config.eval.enabled && !interrupted && data.test) {
    opts.progress?.log(
      `evaluating on ${Math.min(data.test.n, config.eval.n ?? Infinity)} test examples (NLL with K = ${config.eval.k})...`,
    );
    ev = await evaluateModel(model, config, data.test, {}, data.train);
  }
  const classification =
    config.eval.enabled && result.reason !== 'interrupted'
      ? await classificationSummary(model, data, { seed: evaluationSeed(config), threads: config.train.threads })
      : null;
  const summary: RunSummary = {
    runDir: out,
    steps: result.steps,
    epochs: result.epochs,
    stopped: interrupted ? 'interrupted' : result.reason,
    trainElbo: Number.isFinite(result.last.elbo) ? result.last.elbo : null,
    bestValidationElbo: result.bestValidationElbo,
    testElbo: ev?.elbo ?? null,
    testReconstruction: ev?.reconstruction ?? null,
    testKl: ev?.kl ?? null,
    testNll: ev?.nll ?? null,
    nllK: ev?.nllK ?? 0,
    evalN: ev?.n ?? 0,
    activeUnits: ev?.activeUnits ?? null,
    klPerLatent: ev?.klPerLatent ?? null,
    warnings,
    bitsPerDim: ev ? runBitsPerDim(config.model, data.preprocess, ev.nll ?? -ev.elbo, data.train) : null,
    secPerEpoch: result.secPerEpoch,
    msPerStep: result.msPerStep,
    evalSeconds: ev?.seconds ?? null,
    ...(interrupted ? { checkpoint: `${out}/checkpoints/latest` } : {}),
    testElboSe: ev?.elboSe ?? null,
    testNllSe: ev?.nllSe ?? null,
    activeUnitsPerLayer: ev?.activeUnitsPerLayer ?? null,
    ...(ev?.surgery !== undefined ? { surgery: ev.surgery, pca: ev.pca } : {}),
    ...(classification ? { classification } : {}),
  };
  writeJsonFile(paths.summary, summary);
  if (opts.report && !interrupted) return { ...summary, report: await opts.report(out) };
  return summary;
}

/** Evaluates `model` on `test` with the run's eval settings (overrides allowed). */
export async function evaluateModel(
  model: LatentVariableModel,
  config: RunConfig,
  test: Source,
  overrides: Partial<EvalConfig> = {},
  train: Source | null = null,
  full: Omit<FullEvaluationOptions, keyof EvaluateOptions> = {},
): Promise<EvaluationResult & Partial<FullEvaluation>> {
  const e = { ...config.eval, ...overrides };
  const opts = {
    batch: e.batch,
    nllBatch: e.nllBatch,
    kChunk: e.kChunk,
    k: e.k,
    n: e.n,
    ...evaluationPreprocessing(config, test),
    threads: config.train.threads,
  };
  // eval.surgery (--surgery) adds ELBO surgery and the PCA / pPCA baselines over the training set (eval/fullEvaluation.ts).
  const r = await (e.surgery && train
    ? evaluateFull(model, train, test, { ...opts, ...full, check: checkFiniteEvaluation })
    : new Evaluator(model, opts).evaluate(test));
  checkFiniteEvaluation(r);
  return r;
}

/**
 * Validates `input`, creates and locks the run directory `opts.out`, trains, evaluates and returns the
 * summary. `input.model` is a model config, or a model object (built by `createModel`, or a subclass
 * whose parts are registered): the run trains that object and records its config, so that a later
 * process rebuilds it (with `input.plugins` imported first, which register its parts).
 */
export async function runExperiment(input: RunInput, opts: RunOptions): Promise<RunSummary> {
  const plugins = await loadPlugins(input.plugins);
  const m = input.model;
  const given = isModelObject(m) ? m : null;
  const { config, data, warnings } = resolveRunConfig({ ...input, model: isModelObject(m) ? modelConfigOf(m) : m, plugins });
  const model = given ?? createModel(config.model, { seed: config.train.seed });
  if (given) checkRebuildable(given, config.model);
  checkBeforeTraining(config, data, model);
  initialiseFromData(model, config.model, data.train, data.preprocess);
  for (const w of warnings) (opts.warn ?? opts.progress?.log)?.(`warning: ${w}`);
  const lock = createRunDir(opts.out, { overwrite: opts.overwrite });
  try {
    const paths = runPaths(opts.out);
    writeJsonFile(paths.config, config);
    return await trainAndEvaluate(config, data, model, paths, undefined, opts);
  } finally {
    lock.release();
  }
}

/** Settings `--resume` may change: the run's length, its speed, and the final evaluation. */
export interface ResumeOverrides {
  readonly epochs?: number;
  readonly maxSteps?: number;
  readonly stepsPerRun?: number;
  readonly threads?: number;
  readonly eval?: Partial<Pick<EvalConfig, 'k' | 'n' | 'enabled'>>;
}

/**
 * Reads, validates and checks the data of the run in `dir` (for resume and every command that opens a
 * run), importing its plugins first so that the parts they register are known.
 */
async function openStoredRun(dir: string): Promise<{ config: RunConfig; paths: RunPaths }> {
  const paths = runPaths(dir);
  const stored = readRunConfig(dir);
  const plugins = (stored as { plugins?: unknown }).plugins;
  if (Array.isArray(plugins) && plugins.every((p) => typeof p === 'string')) await loadPlugins(plugins, dir);
  const config = parseStoredConfig(stored, paths.config);
  checkDatasetIdentity(config.train, paths.config);
  return { config, paths };
}

/**
 * Continues the run in `dir` from its newest readable checkpoint (latest, else final or best:
 * parameters, optimizer state, step, RNG states and epoch position), optionally with a new length
 * (`epochs`, `maxSteps`), speed (`stepsPerRun`, `threads`; the results do not change) or final
 * evaluation; the changes are written to config.json. metrics.jsonl is first cut back to the
 * checkpoint's step (see `metricsLog.ts`), so every step is logged once.
 */
export async function resumeExperiment(
  dir: string,
  opts: ResumeOverrides & Omit<RunOptions, 'out' | 'overwrite'> = {},
): Promise<RunSummary> {
  const lock = openRunDir(dir);
  try {
    const { config: stored, paths } = await openStoredRun(dir);
    const defined = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    const trainCfg = parseWith(
      trainConfigSchema,
      {
        ...stored.train,
        ...defined({ epochs: opts.epochs, maxSteps: opts.maxSteps, stepsPerRun: opts.stepsPerRun, threads: opts.threads }),
      },
      'train',
    );
    const evalCfg = parseWith(evalConfigSchema, { ...stored.eval, ...defined(opts.eval ?? {}) }, 'eval');
    const config: RunConfig = { ...stored, train: trainCfg, eval: evalCfg };
    checkLimits(config);
    const data = loadRunData(trainCfg);
    const model = createModel(config.model, { seed: trainCfg.seed });
    checkBeforeTraining(config, data, model);
    const warn = opts.warn ?? opts.progress?.log;
    const found = await newestCheckpoint(paths, ['latest', 'final', 'best'], (name, why) =>
      warn?.(`warning: skipping checkpoints/${name}: ${why}`),
    );
    if (found.name !== 'latest')
      opts.progress?.log(`resuming from checkpoints/${found.name} (step ${found.contents.step}), the newest readable checkpoint`);
    const repair = repairMetrics(dir, found.contents.step);
    if (repair.badLines > 0) opts.progress?.log(`${paths.metrics}: dropped ${repair.badLines} incomplete line(s) left by the interruption`);
    if (JSON.stringify(config) !== JSON.stringify(stored))
      await writeFileAtomic(paths.config, Buffer.from(JSON.stringify(config, null, 2) + '\n'));
    return await trainAndEvaluate(config, data, model, paths, found, opts);
  } finally {
    lock.release();
  }
}

/** A trained run loaded back: its config, data and model with the checkpoint's parameters. */
export interface LoadedRun {
  readonly config: RunConfig;
  readonly data: RunData;
  readonly model: LatentVariableModel;
}

/**
 * Loads the run in `dir` with the parameters of its newest readable checkpoint (`final`, else
 * `latest` or `best`); `onSkip` hears of a checkpoint passed over because it does not load.
 */
export async function loadRun(dir: string, onSkip?: (message: string) => void): Promise<LoadedRun> {
  const { config, paths } = await openStoredRun(dir);
  const found = await newestCheckpoint(paths, ['final', 'latest', 'best'], (name, why) => onSkip?.(`skipping checkpoints/${name}: ${why}`));
  if (found.name !== 'final')
    onSkip?.(`using checkpoints/${found.name} (step ${found.contents.step}): the run has no readable final checkpoint`);
  const model = createModel(config.model, { seed: config.train.seed });
  restoreParameters(model.store.all(), found.contents.groups.model, found.dir);
  return { config, data: loadRunData(config.train), model };
}
