/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the intercepts), the
 * classifier of the β-VAE score: disentanglement_lib fits scikit-learn's `LogisticRegression()`,
 * whose defaults minimise ½‖W‖² + C Σᵢ −log softmax(W xᵢ + b)_{yᵢ} with C = 1 (lbfgs, multinomial).
 * The problem is strictly convex, so any solver run to convergence gives the same classifier.
 * Written here rather than taken from npm: `ml-logistic-regression` (the maintained npm option) is
 * one-vs-rest without intercept or penalty, trained by 50,000 fixed-step gradient passes, so it
 * neither matches scikit-learn's model nor runs in seconds on 10,000 points.
 */
import { minimizeLbfgs } from './lbfgs.js';

/** A fitted classifier: `weights` [K, d] row-major and `bias` [K]. */
export interface LogisticModel {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** Options of {@link fitLogisticRegression}. */
export interface LogisticOptions {
  /** Inverse penalty strength C (default 1, scikit-learn's default). */
  readonly c?: number;
  /** L-BFGS iterations (default 200). */
  readonly maxIter?: number;
}

/**
 * Fits the classifier to `n` rows of `x` ([n, d], row-major) with labels `y` in 0..classes−1.
 * Minimises (½‖W‖² + C Σᵢ CEᵢ) / (C n), the same minimiser scaled for the solver's tolerances.
 */
export function fitLogisticRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  classes: number,
  opts: LogisticOptions = {},
): LogisticModel {
  const C = opts.c ?? 1;
  const K = classes;
  const p = new Float64Array(K);
  const f = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = theta[K * d + k];
        for (let j = 0; j < d; j++) s += theta[k * d + j] * x[i * d + j];
        p[k] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += p[k] = Math.exp(p[k] - max);
      loss -= Math.log(p[y[i]] / z);
      for (let k = 0; k < K; k++) {
        const e = p[k] / z - (k === y[i] ? 1 : 0); // ∂CE/∂logit_k = softmax_k − 1[k = y]
        if (e === 0) continue;
        for (let j = 0; j < d; j++) grad[k * d + j] += e * x[i * d + j];
        grad[K * d + k] += e;
      }
    }
    let reg = 0;
    for (let i = 0; i < K * d; i++) reg += theta[i] * theta[i];
    for (let i = 0; i < grad.length; i++) grad[i] /= n;
    for (let i = 0; i < K * d; i++) grad[i] += theta[i] / (C * n);
    return loss / n + (0.5 * reg) / (C * n);
  };
  const r = minimizeLbfgs(f, new Float64Array(K * d + K), { maxIter: opts.maxIter ?? 200 });
  return { classes: K, features: d, weights: r.theta.slice(0, K * d), bias: r.theta.slice(K * d) };
}

/** The most probable class of each of the `n` rows of `x`. */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>, n: number): Int32Array {
  const { classes: K, features: d, weights, bias } = model;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = bias[k];
      for (let j = 0; j < d; j++) s += weights[k * d + j] * x[i * d + j];
      if (s > best) {
        best = s;
        out[i] = k;
      }
    }
  }
  return out;
}

/** Fraction of rows whose predicted class equals `y`. */
export function accuracy(predicted: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === y[i]) hits++;
  return n > 0 ? hits / n : 0;
}
