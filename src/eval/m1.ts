/**
 * M1, the latent-feature discriminative model of Kingma et al. (2014, §3.1.1): a VAE trained on all
 * training images, then a classifier on the posterior means μ(x) of the N labelled examples. The
 * classifier is the one-vs-rest logistic regression of the npm package ml-logistic-regression (the
 * paper used a transductive SVM, which no maintained npm package offers); features are standardised
 * with the labelled examples' mean and standard deviation first.
 */
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { exampleSize, labelOf, type Source } from '../data/dataset.js';
import { toBatch, type Preprocess } from '../data/batches.js';
import { Random } from '../engine/random.js';
import type { LatentVariableModel } from '../models/types.js';
import { scoreClassification, type ClassificationResult } from './classification.js';
import { encodeSource } from './encode.js';

/** Gradient-descent settings of the logistic regression. */
export interface LinearClassifierOptions {
  /** Gradient steps per one-vs-rest classifier (default 3000). */
  readonly steps?: number;
  /** Step size (default 0.01). */
  readonly learningRate?: number;
}

/** Rows [n, dim] as a matrix with one extra constant column (the intercept; the package fits none). */
function design(features: ArrayLike<number>, n: number, dim: number, mean: Float64Array, std: Float64Array): Matrix {
  const m = new Matrix(n, dim + 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) m.set(i, j, (features[i * dim + j] - mean[j]) / std[j]);
    m.set(i, dim, 1);
  }
  return m;
}

/**
 * Fits a logistic regression on `n` rows of `features` ([n, dim], row-major) with classes `labels`
 * (every class 0..C−1 present) and returns a function that predicts the class of other rows.
 */
export function fitLinearClassifier(
  features: ArrayLike<number>, dim: number, labels: ArrayLike<number>, opts: LinearClassifierOptions = {},
): (rows: ArrayLike<number>, n: number) => Int32Array {
  const n = labels.length;
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) std[j] += (features[i * dim + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j]) || 1;
  const lr = new LogisticRegression({ numSteps: opts.steps ?? 3000, learningRate: opts.learningRate ?? 0.01 });
  lr.train(design(features, n, dim, mean, std), Matrix.columnVector(Array.from(labels)));
  return (rows, m) => Int32Array.from(lr.predict(design(rows, m, dim, mean, std)));
}

/** Options of {@link m1Classification} and {@link pixelClassification}. */
export interface M1Options extends LinearClassifierOptions {
  readonly classes: number;
  readonly preprocess?: Preprocess;
  readonly seed?: number;
  readonly threads?: number;
}

const labelsOf = (source: Source): Int32Array => Int32Array.from({ length: source.n }, (_, i) => labelOf(source, i) ?? -1);

/** M1: the classifier on μ(x) of `labelled`, scored on every example of `test`. */
export async function m1Classification(model: LatentVariableModel, labelled: Source, test: Source, opts: M1Options): Promise<ClassificationResult> {
  const enc = { preprocess: opts.preprocess, seed: opts.seed, threads: opts.threads, keep: 0 };
  const train = await encodeSource(model, labelled, enc);
  const evaluated = await encodeSource(model, test, enc);
  const predict = fitLinearClassifier(train.mu, train.d, labelsOf(labelled), opts);
  return scoreClassification(labelsOf(test), predict(evaluated.mu, evaluated.n), opts.classes);
}

/** The baseline: the same classifier on the labelled examples' pixels alone, scored on `test`. */
export function pixelClassification(labelled: Source, test: Source, opts: M1Options): ClassificationResult {
  const D = exampleSize(labelled);
  const rows = (s: Source): Float32Array => {
    const all = Uint32Array.from({ length: s.n }, (_, i) => i);
    return toBatch(s, all, { preprocess: opts.preprocess, rng: new Random(opts.seed ?? 0) });
  };
  const predict = fitLinearClassifier(rows(labelled), D, labelsOf(labelled), opts);
  return scoreClassification(labelsOf(test), predict(rows(test), test.n), opts.classes);
}
