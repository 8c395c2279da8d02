/**
 * How a run with labels (`train.labels`, `--labels N`) trains M2: the trainer's batches come from
 * the unlabelled part, and every step also reads a labelled batch ({@link labelledFeed}) that the
 * M2 objective uses for L(x, y) and the classification term.
 */
import type { Tensor } from '../engine/tensor.js';
import type { LabelledSplit } from '../data/labelledSplit.js';
import { hasLabels, type Source } from '../data/dataset.js';
import { classifySource, isClassifierModel } from '../eval/classification.js';
import { m1Classification, pixelClassification } from '../eval/m1.js';
import type { Preprocess } from '../data/batches.js';
import { ConfigError } from '../models/config.js';
import { M2 } from '../models/m2.js';
import type { LatentVariableModel } from '../models/types.js';
import { m2Objective } from '../objectives/m2.js';
import { LABELLED_INPUTS, labelledFeed, type StepFeed } from './labelledFeed.js';
import type { ObjectiveBuilder } from './trainer.js';

/** The parts of a training setup that M2 replaces. */
export interface SemiSupervisedSetup {
  readonly objective: ObjectiveBuilder;
  readonly train: Source;
  readonly extraInputs: StepFeed;
  /** The classification weight per labelled example, w = α / N_l. */
  readonly weight: number;
}

/** α of Kingma et al. (2014): the given value, else 0.1 · N with N all training examples (labelled and not). */
export function m2Alpha(alpha: number | undefined, split: LabelledSplit): number {
  return alpha ?? 0.1 * (split.labelled.n + split.unlabelled.n);
}

/**
 * The M2 setup for `model` (null when the model is not M2). Throws a ConfigError when M2 is asked
 * for without labels or with a class count other than the data's.
 */
export function semiSupervisedSetup(
  model: LatentVariableModel,
  o: {
    split?: LabelledSplit;
    alpha?: number;
    labelledBatch: number;
    preprocess: Preprocess;
    seed: number;
    objective: { kind: string; k: number };
  },
): SemiSupervisedSetup | null {
  if (!(model instanceof M2)) return null;
  const split = o.split;
  if (!split) throw new ConfigError("model 'm2' needs labelled examples: set train.labels (--labels N, e.g. 100)");
  if (o.objective.kind !== 'elbo' || o.objective.k !== 1) {
    throw new ConfigError(
      `model 'm2' trains with its own objective (Kingma et al. 2014, eq. 9) and one sample: got objective '${o.objective.kind}' with k = ${o.objective.k}`,
    );
  }
  if (split.classes !== model.classes) {
    throw new ConfigError(`model.classes is ${model.classes} but the data have ${split.classes} classes: set --classes ${split.classes}`);
  }
  const weight = m2Alpha(o.alpha, split) / split.labelled.n;
  const feed = labelledFeed({
    source: split.labelled,
    classes: split.classes,
    batch: o.labelledBatch,
    latent: model.latentSize,
    preprocess: o.preprocess,
    seed: o.seed,
  });
  const objective: ObjectiveBuilder = (x, noise, _inputs, extra: Record<string, Tensor>) =>
    m2Objective(model, x, noise, { x: extra[LABELLED_INPUTS.x], y: extra[LABELLED_INPUTS.y], eps: extra[LABELLED_INPUTS.eps] }, weight);
  return { objective, train: split.unlabelled, extraInputs: feed, weight };
}

/** The classification results of a run that classifies (M2, or any model of a run with labels through M1). */
export interface ClassificationSummary {
  /** 'm2': argmax q(y|x); 'm1': 1-nearest-neighbour on the labelled examples' posterior means. */
  readonly classifier: 'm2' | 'm1';
  /** Fraction of test examples misclassified. */
  readonly testError: number;
  /** confusion[t][p]: test examples of true class t predicted as p. */
  readonly confusion: number[][];
  /** The same 1-nearest-neighbour classifier on the labelled examples' pixels alone (runs with labels, at the end of training), else null. */
  readonly baselineTestError: number | null;
}

/** Test error and confusion of the run's classifier on `test`, or null when the run does not classify. */
export async function classificationSummary(
  model: LatentVariableModel,
  data: { labels?: LabelledSplit; test?: Source; preprocess: Preprocess },
  o: { seed: number; threads?: number; /** Also fit the pixel baseline (default true; ~10 s for MNIST). */ baseline?: boolean },
): Promise<ClassificationSummary | null> {
  if (!data.test || !hasLabels(data.test)) return null;
  const opts = { preprocess: data.preprocess, seed: o.seed, threads: o.threads };
  const baseline = (classes: number): number | null =>
    data.labels && o.baseline !== false ? pixelClassification(data.labels.labelled, data.test!, { ...opts, classes }).testError : null;
  if (isClassifierModel(model)) {
    const r = await classifySource(model, data.test, opts);
    return { classifier: 'm2', testError: r.testError, confusion: r.confusion, baselineTestError: baseline(model.classes) };
  }
  if (!data.labels) return null;
  const r = await m1Classification(model, data.labels.labelled, data.test, { ...opts, classes: data.labels.classes });
  return { classifier: 'm1', testError: r.testError, confusion: r.confusion, baselineTestError: baseline(data.labels.classes) };
}
