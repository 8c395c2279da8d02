/**
 * M1, the latent-feature discriminative model of Kingma et al. (2014, §3.1.1): a VAE trained on all
 * training images, then a classifier on the posterior means μ(x) of the N labelled examples. The
 * classifier is k-nearest-neighbours from the npm package ml-knn (k = 1 by default): the paper used a
 * transductive SVM, which no maintained npm package offers, and a logistic regression
 * (ml-logistic-regression) overfit 100 examples in 50 dimensions here (37.7 % test error against
 * 29.7 % for 1-NN on the same codes).
 */
import KNN from 'ml-knn';
import { exampleSize, labelOf, type Source } from '../data/dataset.js';
import { toBatch, type Preprocess } from '../data/batches.js';
import { Random } from '../engine/random.js';
import type { LatentVariableModel } from '../models/types.js';
import { scoreClassification, type ClassificationResult } from './classification.js';
import { encodeSource } from './encode.js';

/** Settings of the nearest-neighbour classifier. */
export interface NeighbourOptions {
  /** Neighbours that vote (default 1). */
  readonly k?: number;
}

const rowsOf = (features: ArrayLike<number>, n: number, dim: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, j) => features[i * dim + j]));

/**
 * Stores `n` rows of `features` ([n, dim], row-major) with classes `labels` and returns a function
 * that predicts the class of other rows by a vote of their k nearest stored rows (Euclidean).
 */
export function fitNearestNeighbours(
  features: ArrayLike<number>,
  dim: number,
  labels: ArrayLike<number>,
  opts: NeighbourOptions = {},
): (rows: ArrayLike<number>, n: number) => Int32Array {
  const knn = new KNN(rowsOf(features, labels.length, dim), Array.from(labels), { k: opts.k ?? 1 });
  return (rows, m) => Int32Array.from(knn.predict(rowsOf(rows, m, dim)));
}

/** Options of {@link m1Classification} and {@link pixelClassification}. */
export interface M1Options extends NeighbourOptions {
  readonly classes: number;
  readonly preprocess?: Preprocess;
  readonly seed?: number;
  readonly threads?: number;
}

const labelsOf = (source: Source): Int32Array => Int32Array.from({ length: source.n }, (_, i) => labelOf(source, i) ?? -1);

/** M1: the classifier on μ(x) of `labelled`, scored on every example of `test`. */
export async function m1Classification(
  model: LatentVariableModel,
  labelled: Source,
  test: Source,
  opts: M1Options,
): Promise<ClassificationResult> {
  const enc = { preprocess: opts.preprocess, seed: opts.seed, threads: opts.threads, keep: 0 };
  const train = await encodeSource(model, labelled, enc);
  const evaluated = await encodeSource(model, test, enc);
  const predict = fitNearestNeighbours(train.mu, train.d, labelsOf(labelled), opts);
  return scoreClassification(labelsOf(test), predict(evaluated.mu, evaluated.n), opts.classes);
}

/** The baseline: the same classifier on the labelled examples' pixels alone, scored on `test`. */
export function pixelClassification(labelled: Source, test: Source, opts: M1Options): ClassificationResult {
  const D = exampleSize(labelled);
  const rows = (s: Source): Float32Array => {
    const all = Uint32Array.from({ length: s.n }, (_, i) => i);
    return toBatch(s, all, { preprocess: opts.preprocess, rng: new Random(opts.seed ?? 0) });
  };
  const predict = fitNearestNeighbours(rows(labelled), D, labelsOf(labelled), opts);
  return scoreClassification(labelsOf(test), predict(rows(test), test.n), opts.classes);
}
