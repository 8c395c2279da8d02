import { describe, expect, it } from 'vitest';
import { createModel } from '../models/registry.js';
import { resolveRunConfig } from './experiment.js';
import { PRESETS } from './presets.js';

describe('dSprites presets', () => {
  it("beta-vae-dsprites-mlp builds Higgins et al.'s 4096-1200-1200-20 encoder and 10-1200-1200-1200-4096 decoder", () => {
    const { config } = resolveRunConfig(PRESETS['beta-vae-dsprites-mlp']);
    const model = createModel(config.model, { seed: 1 });
    // Weights + biases: encoder 4096·1200 + 1200·1200 + 1200·20, decoder 10·1200 + 2·1200·1200 + 1200·4096.
    const enc = 4096 * 1200 + 1200 + 1200 * 1200 + 1200 + 1200 * 20 + 20;
    const dec = 10 * 1200 + 1200 + 2 * (1200 * 1200 + 1200) + 1200 * 4096 + 4096;
    expect(model.store.size).toBe(enc + dec);
    expect(config.objective).toMatchObject({ kind: 'beta', beta: 4 });
    // The reduced budget: 20,000 steps, less than the 2 epochs (2 × 727,280 / 64 ≈ 22,700 steps) that would otherwise stop it.
    expect(config.train.maxSteps).toBe(20_000);
    expect(config.train.epochs * Math.floor(727_280 / 64)).toBeGreaterThan(20_000);
  });
  it('capacity-dsprites ramps C from 0 to 25 nats with γ = 1000 within its reduced budget', () => {
    const { config } = resolveRunConfig(PRESETS['capacity-dsprites']);
    expect(config.objective.kind).toBe('capacity');
    expect(config.objective.capacity).toEqual({ gamma: 1000, max: 25, steps: 15_000 });
    expect(config.train.maxSteps).toBe(20_000);
    expect(config.train.dataset).toBe('dsprites');
  });
});
