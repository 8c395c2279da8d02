import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { argmax, scoreClassification } from './classification.js';
import { fitNearestNeighbours } from './m1.js';

describe('classification scores', () => {
  it('test error and confusion matrix count by hand', () => {
    const r = scoreClassification([0, 0, 1, 2, 2, 2], Int32Array.from([0, 1, 1, 2, 0, 2]), 3);
    expect(r.testError).toBeCloseTo(2 / 6, 12);
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    expect(argmax([0.1, 3, -1, 3.5, 2], 1, 3)).toBe(2);
  });

  it('nearest neighbours separate three Gaussian blobs (Bayes error ≈ 0) and is at chance on noise labels', () => {
    const rng = new Random(4);
    const centres = [
      [4, 0],
      [-4, 0],
      [0, 4],
    ];
    const blobs = (n: number) => {
      const x = new Float64Array(n * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 3;
        x[2 * i] = centres[y[i]][0] + rng.normal();
        x[2 * i + 1] = centres[y[i]][1] + rng.normal();
      }
      return { x, y };
    };
    const train = blobs(60);
    const test = blobs(300);
    const predict = fitNearestNeighbours(train.x, 2, train.y);
    const r = scoreClassification(test.y, predict(test.x, 300), 3);
    // Nearest-centre error of these blobs is below 1% (distance ≥ 4√2/2 ≈ 2.8 σ to each boundary).
    expect(r.testError).toBeLessThan(0.03);
    const shuffled = Int32Array.from(train.y.keys(), () => Math.floor(rng.uniform() * 3)); // labels independent of x
    const noise = scoreClassification(test.y, fitNearestNeighbours(train.x, 2, shuffled)(test.x, 300), 3);
    expect(noise.testError).toBeGreaterThan(0.3);
  });
});
