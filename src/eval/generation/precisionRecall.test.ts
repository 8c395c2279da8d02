import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { kthNeighbourRadii, precisionRecall } from './precisionRecall.js';

/** n points uniform on the square [o, o + 1]². */
const square = (n: number, o: number, rng: Random): Float32Array => Float32Array.from({ length: 2 * n }, () => o + rng.uniform());

describe('precision and recall (k-NN manifolds)', () => {
  it('finds the k-th neighbour radius', () => {
    const x = new Float32Array([0, 0, 1, 0, 3, 0, 7, 0]);
    expect(Array.from(kthNeighbourRadii(x, 2, 1))).toEqual([1, 1, 4, 16]);
    expect(Array.from(kthNeighbourRadii(x, 2, 2))).toEqual([9, 4, 9, 36]);
  });

  it('is 1 and 1 for two samples of one distribution, 0 and 0 for disjoint ones', () => {
    const rng = new Random(3);
    const real = square(600, 0, rng);
    const same = precisionRecall(real, square(600, 0, rng), 2);
    expect(same.precision).toBeGreaterThan(0.93);
    expect(same.recall).toBeGreaterThan(0.93);
    const apart = precisionRecall(real, square(600, 5, rng), 2);
    expect(apart).toEqual({ precision: 0, recall: 0 });
  });

  it('measures a known half overlap: half of the samples off the data (precision ½), all of the data covered (recall 1)', () => {
    const rng = new Random(4);
    const real = square(1000, 0, rng);
    const generated = new Float32Array([...square(500, 0, rng), ...square(500, 10, rng)]);
    const pr = precisionRecall(real, generated, 2);
    expect(pr.precision).toBeGreaterThan(0.46);
    expect(pr.precision).toBeLessThanOrEqual(0.5);
    expect(pr.recall).toBeGreaterThan(0.95);
    // Mode dropping: samples from one half of the data are precise but cover only that half.
    const left = Float32Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 0.5 * rng.uniform() : rng.uniform()));
    const dropped = precisionRecall(real, left, 2);
    expect(dropped.precision).toBeGreaterThan(0.95);
    expect(dropped.recall).toBeGreaterThan(0.45);
    expect(dropped.recall).toBeLessThan(0.6);
  });
});
