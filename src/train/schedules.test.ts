import { describe, expect, it } from 'vitest';
import { IWAE_EPOCHS, iwaeStage, learningRate } from './schedules.js';

const at = (epoch: number, spe = 10) => ({ step: epoch * spe, stepsPerEpoch: spe, totalSteps: 1000 });

describe('IWAE 3^i schedule', () => {
  it('has stages of 3^i epochs: 1, 3, 9, ... (3280 in all)', () => {
    expect(IWAE_EPOCHS).toBe(3280);
    const lengths = new Array(8).fill(0);
    for (let e = 0; e < IWAE_EPOCHS; e++) lengths[iwaeStage(e)]++;
    expect(lengths).toEqual([1, 3, 9, 27, 81, 243, 729, 2187]);
  });
  it('switches exactly at the boundaries (3^i − 1)/2', () => {
    for (const [e, i] of [
      [0, 0],
      [1, 1],
      [3, 1],
      [4, 2],
      [12, 2],
      [13, 3],
      [39, 3],
      [40, 4],
      [1092, 6],
      [1093, 7],
      [5000, 7],
    ]) {
      expect(iwaeStage(e), `epoch ${e}`).toBe(i);
    }
  });
  it('gives lr = 1e-3 · 10^(−i/7), constant within an epoch', () => {
    const s = { kind: 'iwae' } as const;
    expect(learningRate(s, 1e-3, at(0))).toBeCloseTo(1e-3, 15);
    expect(learningRate(s, 1e-3, { step: 9, stepsPerEpoch: 10, totalSteps: 1 })).toBeCloseTo(1e-3, 15);
    expect(learningRate(s, 1e-3, at(1))).toBeCloseTo(1e-3 * 10 ** (-1 / 7), 15);
    expect(learningRate(s, 1e-3, at(13))).toBeCloseTo(1e-3 * 10 ** (-3 / 7), 15);
    expect(learningRate(s, 1e-3, at(3279))).toBeCloseTo(1e-4, 15);
  });
});

describe('other schedules', () => {
  it('step and cosine', () => {
    expect(learningRate({ kind: 'step', every: 2, gamma: 0.5 }, 1, at(3))).toBe(0.5);
    expect(learningRate({ kind: 'step', every: 2, gamma: 0.5 }, 1, at(4))).toBe(0.25);
    const cos = { kind: 'cosine', minLr: 0.1 } as const;
    expect(learningRate(cos, 1, { step: 0, stepsPerEpoch: 1, totalSteps: 100 })).toBeCloseTo(1);
    expect(learningRate(cos, 1, { step: 50, stepsPerEpoch: 1, totalSteps: 100 })).toBeCloseTo(0.55);
    expect(learningRate(cos, 1, { step: 100, stepsPerEpoch: 1, totalSteps: 100 })).toBeCloseTo(0.1);
    expect(learningRate({ kind: 'constant' }, 0.3, at(7))).toBe(0.3);
  });
});
