/**
 * Test error and confusion matrix of a classifier: M2's q(y|x) (the most probable class), or M1's
 * classifier on posterior means (see `m1.ts`). Errors are measured on every example given.
 */
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { GraphFunction } from '../engine/function.js';
import type { Tensor } from '../engine/tensor.js';
import type { Source } from '../data/dataset.js';
import { batches } from '../data/batches.js';
import type { EncodeSourceOptions } from './encode.js';

/** A model that classifies: log q(y|x) for x [B, D] → [B, C]. */
export interface ClassifierModel {
  readonly dataSize: number;
  readonly classes: number;
  classLogProbs(x: Tensor): Tensor;
}

/** Whether `model` classifies (M2 does). */
export function isClassifierModel(model: object): model is ClassifierModel {
  return (
    typeof (model as Partial<ClassifierModel>).classLogProbs === 'function' &&
    typeof (model as Partial<ClassifierModel>).classes === 'number'
  );
}

/** The classification quality on a labelled set. */
export interface ClassificationResult {
  readonly n: number;
  /** Fraction of examples whose predicted class differs from the true one. */
  readonly testError: number;
  /** confusion[t][p]: examples of true class t predicted as p. */
  readonly confusion: number[][];
  /** The predicted class of each example. */
  readonly predictions: Int32Array;
}

/** Test error and confusion matrix from true labels and predictions over `classes` classes. */
export function scoreClassification(labels: ArrayLike<number>, predictions: Int32Array, classes: number): ClassificationResult {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let wrong = 0;
  for (let i = 0; i < labels.length; i++) {
    confusion[labels[i]][predictions[i]]++;
    if (labels[i] !== predictions[i]) wrong++;
  }
  return { n: labels.length, testError: labels.length ? wrong / labels.length : NaN, confusion, predictions };
}

/** Index of the largest of `values[start .. start + n)`, relative to start. */
export function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (values[start + c] > values[start + best]) best = c;
  return best;
}

/** Options of {@link classifySource}: rows per batch, preprocessing, the binarization's seed, threads. */
export type ClassifyOptions = Pick<EncodeSourceOptions, 'batch' | 'preprocess' | 'seed' | 'threads'>;

/** Classifies every example of `source` by argmax_y q(y|x) and scores it against the source's labels. */
export async function classifySource(model: ClassifierModel, source: Source, opts: ClassifyOptions = {}): Promise<ClassificationResult> {
  const B = opts.batch ?? 100;
  const x = input('x', [B, model.dataSize]);
  const fn = await GraphFunction.create(
    { inputs: [x], outputs: { logq: model.classLogProbs(x) }, name: 'classify' },
    { threads: opts.threads },
  );
  const predictions = new Int32Array(source.n);
  const labels = new Int32Array(source.n);
  let i = 0;
  for (const b of batches(source, { batchSize: B, preprocess: opts.preprocess, rng: new Random(opts.seed ?? 0) })) {
    if (!b.labels) throw new Error(`${source.name} has no labels to score a classifier against`);
    const { logq } = (await fn.run({ x: b.x })) as Record<string, Float32Array>;
    for (let r = 0; r < b.size; r++) {
      predictions[i + r] = argmax(logq, r * model.classes, model.classes);
      labels[i + r] = b.labels[r];
    }
    i += b.size;
  }
  return scoreClassification(labels, predictions, model.classes);
}
