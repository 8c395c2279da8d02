import { describe, expect, it } from 'vitest';
import { createModel } from '../models/registry.js';
import { drawPriorSamples, sampleModel, shiftedByStd } from './sample.js';

describe('sampling (seed 004)', () => {
  const model = createModel({ kind: 'vae', decoder: 'gaussian', latent: 2, hidden: [8], dataShape: [6] }, { seed: 3 });

  it('decodes one z three ways: mean, μ_x + α σ_x, and ancestral draws around the mean', async () => {
    const s = await drawPriorSamples(model, { n: 400, seed: 1 });
    expect(s.std).not.toBeNull();
    const std = s.std!;
    expect([...shiftedByStd(s, 0)]).toEqual([...s.mean]);
    shiftedByStd(s, 1.5).forEach((v, i) => expect(v).toBeCloseTo(s.mean[i] + 1.5 * std[i], 5));
    // Ancestral x = μ_x + σ_x ε: the standardised residuals have mean ≈ 0 and variance ≈ 1.
    const r = [...s.ancestral].map((x, i) => (x - s.mean[i]) / std[i]);
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
    expect(Math.abs(m)).toBeLessThan(0.06);
    expect(Math.abs(v - 1)).toBeLessThan(0.08);
  });

  it('gives the same samples for the same seed, and mode alpha is deterministic given z', async () => {
    const a = await sampleModel(model, { n: 16, mode: 'alpha', alpha: 0.5, seed: 9 });
    const b = await sampleModel(model, { n: 16, mode: 'alpha', alpha: 0.5, seed: 9 });
    const mean = await sampleModel(model, { n: 16, mode: 'mean', seed: 9 });
    expect([...a]).toEqual([...b]);
    expect([...a].some((v, i) => v !== mean[i])).toBe(true);
  });
});
