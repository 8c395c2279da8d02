import { describe, expect, it } from 'vitest';
import { confusionCells, confusionChart } from './classificationCharts.js';
import { scoreClassification } from '../eval/classification.js';

describe('confusion chart', () => {
  it('has one cell per (true, predicted) pair with its count and its share of the true class, by hand', () => {
    // Truth 0,0,0,1 predicted 0,1,1,1: class 0 → [1, 2], class 1 → [0, 1].
    const r = scoreClassification([0, 0, 0, 1], Int32Array.from([0, 1, 1, 1]), 2);
    const cells = confusionCells(r.confusion, (c) => `c${c}`);
    expect(cells).toEqual([
      { truth: 'c0', predicted: 'c0', count: 1, share: 1 / 3 },
      { truth: 'c0', predicted: 'c1', count: 2, share: 2 / 3 },
      { truth: 'c1', predicted: 'c0', count: 0, share: 0 },
      { truth: 'c1', predicted: 'c1', count: 1, share: 1 },
    ]);
    expect(confusionChart(r, (c) => `c${c}`, 'M2').caption).toContain('test error 50.00 %');
  });
});
