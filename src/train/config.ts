/**
 * The training part of a run's configuration (data, batching, schedules, checkpoints), validated
 * with zod. Errors name the field, what was expected and what was found.
 */
import { z } from 'zod';
import { ConfigError, formatIssues } from '../models/config.js';

const positiveInt = z.number().int().positive();

/** The learning-rate schedule (see `schedules.ts`). */
export const lrScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({ kind: z.literal('step'), every: z.number().positive().default(100), gamma: z.number().positive().max(1).default(0.5) }),
  z.object({ kind: z.literal('cosine'), minLr: z.number().nonnegative().default(0) }),
  z.object({ kind: z.literal('iwae') }),
]);

/** How pixel values become model inputs. */
export const BINARIZE = ['dynamic', 'static', 'none'] as const;

/** The `train` section of a run config: data, batching, optimisation, checkpoints (every field defaulted). */
export const trainConfigSchema = z.object({
  /** A dataset name (`mnist`, `fashion-mnist`, `dsprites`, ...) or a path. */
  dataset: z.string().min(1).default('mnist'),
  /** SHA-256 of the dataset's content when `dataset` is a path (stored as an absolute path; see `datasetIdentity.ts`). */
  datasetSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /**
   * `dynamic`: a fresh Bernoulli(grey level) draw of every pixel each time an example is used
   * (resampled every batch); `static`: one seeded draw kept for the whole run; `none`: grey levels.
   */
  binarize: z.enum(BINARIZE).default('dynamic'),
  /**
   * Uniform dequantization of 8-bit data, x = (pixel + u)/256 with fresh u ~ U(0, 1) each batch (and one
   * seeded draw in evaluation), for continuous decoders. Absent: on for continuous decoders on uint8 data
   * with `binarize` 'none'; the run records the value it used.
   */
  dequantize: z.boolean().optional(),
  /** Training examples held out for validation (count ≥ 1, or fraction in (0, 1); 0: none). */
  validation: z.number().nonnegative().default(0),
  /** Test examples held out from the training set, for sets without a test part (dSprites, your files). */
  test: z.number().nonnegative().default(0),
  /** Train on the first n training examples only (quick runs, tests). */
  trainN: positiveInt.optional(),
  /**
   * Semi-supervised runs: N labelled training examples, N / C per class, chosen by `seed` (Kingma et
   * al. 2014); the others are used without labels. M2 trains on them; other models get M1's classifier.
   */
  labels: positiveInt.optional(),
  /** Labelled examples per step of M2 (at most `labels`). */
  labelledBatch: positiveInt.default(100),
  /** A labels file for a dataset given as a path (IDX, NPY or one-column CSV), e.g. M1's features (`vaelab features`). */
  labelsFile: z.string().min(1).optional(),
  /** Examples per step; the last partial batch of an epoch is dropped (static graph shapes). */
  batch: positiveInt.default(100),
  /** Passes over the training set. */
  epochs: z.number().positive().default(10),
  /** Stop after this many steps in all (overrides `epochs` when smaller). */
  maxSteps: positiveInt.optional(),
  /** Base learning rate of Adam. */
  lr: z.number().positive().default(1e-3),
  /** Adam's ε (Burda et al. use 1e-4). */
  adamEps: z.number().positive().default(1e-8),
  lrSchedule: lrScheduleSchema.default({ kind: 'constant' }),
  /** KL warm-up over this many epochs: sets the objective's `warmupSteps` (epochs × steps per epoch). */
  warmupEpochs: z.number().nonnegative().optional(),
  /** Clip the global gradient norm (none when absent). */
  clipNorm: z.number().positive().optional(),
  /** Seed of everything: initialisation, shuffling, binarization, noise. */
  seed: z.number().int().nonnegative().default(0),
  /** onnxruntime intra-op threads (default: onnxruntime's choice). */
  threads: positiveInt.optional(),
  /**
   * Training steps per onnxruntime run (default 8): S steps run in one ONNX Loop, so parameters and
   * Adam state stay inside onnxruntime between them (~20% less time per step on the MLP VAE). The
   * results are the same as with 1 (one run per step): a run never crosses an epoch end, a
   * checkpoint or the last step; single steps fill the gaps.
   */
  stepsPerRun: positiveInt.default(8),
  /** Write a checkpoint every N steps (0: only at the end). */
  checkpointEvery: z.number().int().nonnegative().default(0),
  /** Validate every N epochs (when there is a validation set). */
  validateEvery: positiveInt.default(1),
  /** Early stopping: stop after this many validations without a better ELBO (0: never). */
  patience: z.number().int().nonnegative().default(0),
  /** Append a metrics.jsonl line every N steps (and always at the last step). */
  logEvery: positiveInt.default(10),
});

/** The final evaluation. */
export const evalConfigSchema = z.object({
  /** Run it at the end of training. */
  enabled: z.boolean().default(true),
  /** Importance samples K of the NLL estimate (0: no NLL). */
  k: z.number().int().nonnegative().default(1000),
  /** Evaluate on the first n test examples (default all). */
  n: positiveInt.optional(),
  /** Rows per ELBO batch. */
  batch: positiveInt.default(100),
  /** Rows per NLL batch. */
  nllBatch: positiveInt.default(20),
  /** Importance samples per graph run (default: the model's evaluation rows, 5000 for most, / nllBatch). */
  kChunk: positiveInt.optional(),
  /** Also run ELBO surgery and the PCA / pPCA baselines over the training set (minutes on MNIST). */
  surgery: z.boolean().default(false),
});

/** Training options as written by a user. */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
/** Validated training options. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** Evaluation options as written by a user. */
export type EvalConfigInput = z.input<typeof evalConfigSchema>;
/** Validated evaluation options. */
export type EvalConfig = z.output<typeof evalConfigSchema>;

/** Validates with `schema`, throwing a {@link ConfigError} that names each bad field under `what`. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(`invalid ${what} config: ${formatIssues(r.error.issues.map((i) => ({ ...i, path: [what, ...i.path] })))}`);
  }
  return r.data;
}
