/**
 * A run configuration from the CLI's long flags written in camelCase (`maxSteps` for `--max-steps`):
 * what `vaelab train` parses from its command line and what a sweep spec writes as data. The
 * schema lists every flag a run takes, so a spec with an unknown or mistyped flag is refused by name.
 */
import { z } from 'zod';
import { ACTIVATIONS } from '../nn/activation.js';
import { ARCHITECTURES, MODEL_KINDS } from '../models/config.js';
import { likelihoods, priors, type PartRegistry } from '../models/parts.js';
import '../models/registry.js'; // registers the built-in parts
import { OBJECTIVE_KINDS } from '../objectives/config.js';
import { BINARIZE } from './config.js';
import { mergeConfigs, type RunConfigInput } from './experiment.js';
import { PRESET_NAMES, PRESETS } from './presets.js';
import { LR_SCHEDULES } from './schedules.js';

const int = (min = 1) => z.number().int().min(min);
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
/** `--hidden 200,200` as a list or as the flag's comma-separated text. */
const widths = z.union([
  z.array(int()).min(1),
  z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected comma-separated positive integers such as 200,200')
    .transform((s) => s.split(',').map(Number)),
]);

/** A part's name, checked against its registry (built-ins and those of loaded plugins) when validated. */
const registered = <F>(registry: PartRegistry<F>) =>
  z.string().refine((name) => registry.has(name), {
    error: (issue) => `unknown ${registry.part} '${String(issue.input)}' (registered: ${registry.names().join(', ')})`,
  });

/** The flags of one run (`vaelab train`'s, camelCase), as data; unknown keys are refused. */
export const runFlagsSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES).optional(),
  dataset: z.string().min(1).optional(),
  model: z.enum(MODEL_KINDS).optional(),
  decoder: registered(likelihoods).optional(),
  prior: registered(priors).optional(),
  components: int().optional(),
  architecture: z.enum(ARCHITECTURES).optional(),
  latent: int().optional(),
  hidden: widths.optional(),
  activation: z.enum(Object.keys(ACTIVATIONS) as [string, ...string[]]).optional(),
  objective: z.enum(OBJECTIVE_KINDS).optional(),
  k: int().optional(),
  beta: nonNegative.optional(),
  capacity: nonNegative.optional(),
  capacitySteps: int(0).optional(),
  capacityGamma: positive.optional(),
  warmup: positive.optional(),
  freeBits: nonNegative.optional(),
  freeBitsGroups: int().optional(),
  latent1: int().optional(),
  hidden2: widths.optional(),
  sigma: positive.optional(),
  flowSteps: int(0).optional(),
  flowHidden: widths.optional(),
  flowContext: int(0).optional(),
  mixtureWeights: z.enum(['uniform', 'learned']).optional(),
  dequantize: z.boolean().optional(),
  minLogVar: z.number().finite().optional(),
  binarize: z.enum(BINARIZE).optional(),
  batch: int().optional(),
  epochs: positive.optional(),
  maxSteps: int().optional(),
  lr: positive.optional(),
  lrSchedule: z.enum(LR_SCHEDULES).optional(),
  clipNorm: positive.optional(),
  validation: nonNegative.optional(),
  test: nonNegative.optional(),
  trainN: int().optional(),
  patience: int(0).optional(),
  checkpointEvery: int(0).optional(),
  seed: int(0).optional(),
  threads: int().optional(),
  stepsPerRun: int().optional(),
  evalK: int(0).optional(),
  evalN: int().optional(),
  eval: z.boolean().optional(),
  surgery: z.boolean().optional(),
  classes: int(2).optional(),
  pixelLayers: int().optional(),
  pixelKernel: int().optional(),
  pixelChannels: int().optional(),
  alpha: nonNegative.optional(),
  labels: int().optional(),
  labelledBatch: int().optional(),
  labelsFile: z.string().min(1).optional(),
  report: z.boolean().optional(),
  plugin: z.array(z.string().min(1)).optional(),
});

/** A run's flags, validated (camelCase long flags of `vaelab train`). */
export type RunFlags = z.output<typeof runFlagsSchema>;

/** The fields of a nested option that its flags set, or undefined when none is set (the preset's stays whole). */
function definedFields(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const set = Object.entries(fields).filter(([, v]) => v !== undefined);
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}

/** The run config the flags set (without the preset), as `vaelab train` builds it from its command line. */
export function flagsToConfig(o: Record<string, unknown>): RunConfigInput {
  const model: Record<string, unknown> = {
    kind: o.model,
    decoder: o.decoder,
    prior: o.prior,
    components: o.components,
    latent: o.latent,
    hidden: o.hidden,
    activation: o.activation,
    architecture: o.architecture,
    k: o.k,
    latent1: o.latent1,
    hidden2: o.hidden2,
    sigma: o.sigma,
    flowSteps: o.flowSteps,
    flowHidden: o.flowHidden,
    flowContext: o.flowContext,
    mixtureWeights: o.mixtureWeights,
    decoderMinLogVar: o.minLogVar,
    classes: o.classes,
    pixelLayers: o.pixelLayers,
    pixelKernel: o.pixelKernel,
    pixelChannels: o.pixelChannels,
  };
  const objective: Record<string, unknown> = {
    kind: o.objective,
    beta: o.beta,
    k: o.k,
    alpha: o.alpha,
    capacity: definedFields({ max: o.capacity, steps: o.capacitySteps, gamma: o.capacityGamma }),
    freeBits: definedFields({ lambda: o.freeBits, groups: o.freeBitsGroups }),
  };
  const train: Record<string, unknown> = {
    dataset: o.dataset,
    binarize: o.binarize,
    batch: o.batch,
    epochs: o.epochs,
    maxSteps: o.maxSteps,
    lr: o.lr,
    lrSchedule: o.lrSchedule !== undefined ? { kind: o.lrSchedule } : undefined,
    seed: o.seed,
    threads: o.threads,
    warmupEpochs: o.warmup,
    validation: o.validation,
    test: o.test,
    patience: o.patience,
    checkpointEvery: o.checkpointEvery,
    clipNorm: o.clipNorm,
    trainN: o.trainN,
    stepsPerRun: o.stepsPerRun,
    dequantize: o.dequantize,
    labels: o.labels,
    labelledBatch: o.labelledBatch,
    labelsFile: o.labelsFile,
  };
  const evalCfg: Record<string, unknown> = { k: o.evalK, n: o.evalN, enabled: o.eval === false ? false : undefined, surgery: o.surgery };
  // A flag that changes the objective without --objective re-infers its kind over the preset's: mergeConfigs does it.
  const plugins = o.plugin as string[] | undefined;
  return { model, objective, train, eval: evalCfg, ...(plugins?.length ? { plugins } : {}) };
}

/** The full run config of validated flags: their preset (default `quick`) with the flags over it. */
export function configFromFlags(flags: RunFlags): RunConfigInput {
  return mergeConfigs(PRESETS[flags.preset ?? 'quick'], flagsToConfig(flags));
}
