import { describe, expect, it } from 'vitest';
import { ConfigError } from '../models/config.js';
import { resolveRunConfig, type RunConfigInput } from './experiment.js';
import { estimateParameters } from './limits.js';

const small: RunConfigInput = { model: { latent: 2, hidden: [8] }, train: { trainN: 100, batch: 10 }, eval: { enabled: false } };
const withSections = (over: RunConfigInput): RunConfigInput => ({
  model: { ...small.model, ...over.model },
  objective: over.objective ?? {},
  train: { ...small.train, ...over.train },
  eval: small.eval,
});

describe('size limits', () => {
  it.each([
    [{ model: { hidden: [1e9] } }, /model\.hidden: at most 16384, got 1000000000/],
    [{ model: { kind: 'iwae' }, objective: { k: 1e9 } }, /objective\.k: at most 10000/],
    [{ model: { prior: 'mog', components: 1e9 } }, /model\.components: at most 10000/],
    [{ train: { stepsPerRun: 1e9 } }, /train\.stepsPerRun: at most 1000/],
    [{ model: { hidden: [16000, 16000] } }, /model\.hidden: the encoder and decoder would hold 5\.\d+e\+8 parameters, at most 2\.68e\+8/],
    [{ model: { kind: 'iwae' }, objective: { k: 5000 }, train: { batch: 100 } }, /batch × k × widest layer is 3\.92e\+8 values per step/],
  ] as const)('refuses %j, naming the field and the limit', (over, pattern) => {
    const run = () => resolveRunConfig(withSections(over as RunConfigInput));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(pattern);
  });

  it('counts the parameters of the mirrored MLP: 784-16000-16000-(2·2) and back', () => {
    const p = estimateParameters({ latent: 2, hidden: [16000, 16000], dataShape: [784], prior: 'standard', components: 10 } as never);
    const enc = 785 * 16000 + 16001 * 16000 + 16001 * 4;
    const dec = 3 * 16000 + 16001 * 16000 + 16001 * 1568;
    expect(p).toBe(enc + dec);
  });

  it('accepts the sizes of the seeds', () => {
    expect(() => resolveRunConfig(withSections({ model: { latent: 200, hidden: [1000, 1000] } }))).not.toThrow();
  });
});
