import { describe, expect, it } from 'vitest';
import { labelEntropy } from './labelEntropy.js';

describe('label entropy', () => {
  it('is 0 conditional and log C marginal for confident samples spread evenly over C classes (score C)', () => {
    const probs = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const h = labelEntropy(probs, 3);
    expect(h.conditional).toBe(0);
    expect(h.marginal).toBeCloseTo(Math.log(3), 12);
    expect(h.score).toBeCloseTo(3, 12);
  });

  it('gives score 1 when every sample is the same uncertain mixture', () => {
    const h = labelEntropy([0.5, 0.5, 0.5, 0.5], 2);
    expect(h.conditional).toBeCloseTo(Math.log(2), 12);
    expect(h.marginal).toBeCloseTo(Math.log(2), 12);
    expect(h.score).toBeCloseTo(1, 12);
  });
});
