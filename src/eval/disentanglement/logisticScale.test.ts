import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { accuracy, fitLogisticRegression, predictLogistic } from './logistic.js';

/**
 * Why an untrained encoder can score exactly the majority-class rate (~20.3 % for 5 factors) on the
 * β-VAE score: with scikit-learn's C = 1 the L2 penalty ½‖W‖² outweighs the data term when the
 * features (mean |Δz|) are small, so the minimiser's logits are dominated by the intercepts and the
 * classifier predicts one class. The same separable data, scaled up, is classified well.
 */
function data(scale: number): { x: Float64Array; y: Int32Array; n: number; d: number; K: number } {
  const rng = new Random(1);
  const n = 2000;
  const d = 10;
  const K = 5;
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(K);
    for (let j = 0; j < d; j++) x[i * d + j] = scale * (1 + 0.3 * rng.normal() - (j === y[i] ? 0.5 : 0));
  }
  return { x, y, n, d, K };
}

function majorityRate(y: Int32Array, K: number): number {
  const counts = new Array<number>(K).fill(0);
  for (const v of y) counts[v]++;
  return Math.max(...counts) / y.length;
}

describe('logistic regression at C = 1 on small-scale features', () => {
  it('classifies unit-scale features well above chance', () => {
    const { x, y, n, d, K } = data(1);
    expect(accuracy(predictLogistic(fitLogisticRegression(x, y, n, d, K), x, n), y, n)).toBeGreaterThan(0.6);
  });

  it('falls to about the majority-class rate when the same features are 100× smaller (the penalty wins)', () => {
    const { x, y, n, d, K } = data(0.01);
    const acc = accuracy(predictLogistic(fitLogisticRegression(x, y, n, d, K, { maxIter: 1000 }), x, n), y, n);
    expect(acc).toBeCloseTo(majorityRate(y, K), 2);
    // A weak penalty (large C) recovers the classifier on the same features: the minimiser, not the solver.
    const weak = fitLogisticRegression(x, y, n, d, K, { c: 1e8, maxIter: 1000 });
    expect(accuracy(predictLogistic(weak, x, n), y, n)).toBeGreaterThan(0.6);
  });
});
