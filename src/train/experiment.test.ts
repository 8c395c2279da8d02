import { describe, expect, it } from 'vitest';
import { toBatch } from '../data/batches.js';
import { ConfigError } from '../models/config.js';
import { trainConfigSchema } from './config.js';
import { mergeConfigs, loadRunData, resolveRunConfig } from './experiment.js';
import { PRESETS } from './presets.js';
import { flagsToConfig } from './flagConfig.js';

describe('run configuration', () => {
  it('lets flags override a preset, section by section, skipping unset flags', () => {
    const merged = mergeConfigs(PRESETS['iwae-mnist'], { model: { latent: 10, hidden: undefined }, train: { epochs: 3 } });
    expect(merged.model).toMatchObject({ latent: 10, hidden: [200, 200], activation: 'tanh' });
    expect(merged.train).toMatchObject({ epochs: 3, batch: 20, lrSchedule: { kind: 'iwae' } });
  });

  it('re-infers the objective kind when the override changes the objective without naming it (library = CLI)', () => {
    expect(
      resolveRunConfig(mergeConfigs(PRESETS.quick, { objective: { beta: 4 }, train: { trainN: 100 } })).config.objective,
    ).toMatchObject({ kind: 'beta', beta: 4 });
    expect(
      resolveRunConfig(mergeConfigs(PRESETS.quick, { objective: { freeBits: { lambda: 2 } }, train: { trainN: 100 } })).config.objective
        .kind,
    ).toBe('free-bits');
    // Named kinds win, and an override that leaves the objective alone keeps the preset's.
    expect(
      resolveRunConfig(mergeConfigs(PRESETS.quick, { objective: { kind: 'elbo', beta: 4 }, train: { trainN: 100 } })).config.objective.kind,
    ).toBe('elbo');
    expect(
      resolveRunConfig(mergeConfigs(PRESETS['iwae-mnist'], { model: { latent: 10 }, train: { trainN: 100 } })).config.objective.kind,
    ).toBe('iwae');
  });

  it('merges nested options of the same kind: --capacity-steps over the capacity preset keeps its C max and γ', () => {
    const { config } = resolveRunConfig(mergeConfigs(PRESETS['capacity-dsprites'], flagsToConfig({ capacitySteps: 2500, trainN: 200 })));
    expect(config.objective).toMatchObject({ kind: 'capacity', capacity: { max: 25, gamma: 1000, steps: 2500 } });
    const gamma = resolveRunConfig(mergeConfigs(PRESETS['capacity-dsprites'], flagsToConfig({ capacityGamma: 100, trainN: 200 }))).config;
    expect(gamma.objective).toMatchObject({ kind: 'capacity', capacity: { max: 25, gamma: 100, steps: 15_000 } });
    // A schedule of another kind replaces the preset's.
    const merged = mergeConfigs(PRESETS['iwae-mnist'], { train: { lrSchedule: { kind: 'constant' } } });
    expect(merged.train?.lrSchedule).toEqual({ kind: 'constant' });
  });

  it('resolves the IWAE preset to an IWAE objective with matching K and the data shape', () => {
    const { config, data } = resolveRunConfig(mergeConfigs(PRESETS['iwae-mnist'], { objective: { k: 7 }, train: { trainN: 100 } }));
    expect(config.objective.kind).toBe('iwae');
    expect(config.objective.k).toBe(7);
    expect(config.model.k).toBe(7);
    expect(config.model.dataShape).toEqual([1, 28, 28]);
    expect(data.validation?.n).toBe(400);
    expect(data.preprocess).toBe('dynamic-binarize');
  });

  it('turns warm-up epochs into objective steps', () => {
    const { config } = resolveRunConfig({ train: { trainN: 1000, batch: 100, warmupEpochs: 3 } });
    expect(config.objective.kind).toBe('warmup');
    expect(config.objective.warmupSteps).toBe(30);
  });

  it('names the field, what it expected and what it got', () => {
    expect(() => resolveRunConfig({ train: { batch: -2 } })).toThrow(ConfigError);
    expect(() => resolveRunConfig({ train: { batch: -2 } })).toThrow(/train\.batch/);
    expect(() => resolveRunConfig({ model: { latent: 'ten' }, train: { trainN: 50 } })).toThrow(/latent/);
  });

  it('binarizes statically once per seed: 0/1 inputs, identical across loads', () => {
    const cfg = trainConfigSchema.parse({ binarize: 'static', trainN: 50, seed: 3 });
    const a = loadRunData(cfg);
    const b = loadRunData(cfg);
    expect(a.preprocess).toBe('grey');
    const xa = toBatch(a.train, [0, 1, 2, 49], { preprocess: a.preprocess });
    const xb = toBatch(b.train, [0, 1, 2, 49], { preprocess: b.preprocess });
    expect(xa.every((v) => v === 0 || v === 1)).toBe(true);
    expect(xa.some((v) => v === 1)).toBe(true);
    expect(Buffer.from(xa.buffer).equals(Buffer.from(xb.buffer))).toBe(true);
  });
});
