import { describe, expect, it } from 'vitest';
import { toBatch } from '../data/batches.js';
import { bitsPerDim } from '../data/dequantize.js';
import { ConfigError } from '../models/config.js';
import { Random } from '../engine/random.js';
import { resolveRunConfig } from './experiment.js';
import { pixelSupportWarnings, runBitsPerDim } from './pixelSupport.js';

describe('pixel support (seed 004, §5.3)', () => {
  it('bits per dimension by hand: a uniform density on dequantized 8-bit data is 8 bits, a fair coin 1 bit', () => {
    // p(x) = 1 on [0, 1]^D: NLL 0 nats, and the discrete model it implies is uniform over 256 levels.
    expect(bitsPerDim(0, 784, true)).toBeCloseTo(8, 12);
    // Bernoulli(½) on binary pixels: NLL = D ln 2.
    expect(bitsPerDim(784 * Math.LN2, 784, false)).toBeCloseTo(1, 12);
    // 1000 nats on 784 dequantized pixels: 1000 / (784 ln 2) + 8 = 1.84017… + 8.
    expect(bitsPerDim(1000, 784, true)).toBeCloseTo(9.840172, 5);
  });

  it("dequantization: x = (pixel + u)/256, inside the pixel's bin, fresh u every batch, never exactly 0 or 1", () => {
    const { data } = resolveRunConfig({ model: { decoder: 'continuous-bernoulli' }, train: { binarize: 'none', trainN: 20 } });
    expect(data.preprocess).toBe('dequantize');
    const rng = new Random(1);
    const idx = [0, 1, 2];
    const raw = toBatch(data.train, idx, { preprocess: 'raw' });
    const a = toBatch(data.train, idx, { preprocess: 'dequantize', rng });
    const b = toBatch(data.train, idx, { preprocess: 'dequantize', rng });
    a.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(raw[i] / 256);
      expect(v).toBeLessThan((raw[i] + 1) / 256);
    });
    expect(a.some((v, i) => v !== b[i])).toBe(true);
    expect(a.every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('is the default for continuous decoders on uint8 data with binarize none, recorded in the config, and switchable off', () => {
    const on = resolveRunConfig({ model: { decoder: 'gaussian' }, train: { binarize: 'none', trainN: 20 } });
    expect(on.config.train.dequantize).toBe(true);
    const off = resolveRunConfig({ model: { decoder: 'gaussian' }, train: { binarize: 'none', trainN: 20, dequantize: false } });
    expect(off.config.train.dequantize).toBe(false);
    expect(off.data.preprocess).toBe('grey');
    const bern = resolveRunConfig({ train: { trainN: 20 } });
    expect(bern.config.train.dequantize).toBe(false);
    expect(() => resolveRunConfig({ train: { trainN: 20, dequantize: true } })).toThrow(/dequantize: needs binarize 'none'/);
    expect(() =>
      resolveRunConfig({ model: { decoder: 'gaussian' }, train: { dataset: 'ppca', binarize: 'none', dequantize: true } }),
    ).toThrow(ConfigError);
  });

  it('warns once, naming the data and the decoder, for a density on atoms at 0/1 and for a Bernoulli on grey levels', () => {
    const warn = (model: Record<string, unknown>, train: Record<string, unknown>): string[] => {
      const { config, data } = resolveRunConfig({ model, train: { binarize: 'none', trainN: 50, ...train } });
      return pixelSupportWarnings(config.model, data.train, data.preprocess);
    };
    const cb = warn({ decoder: 'continuous-bernoulli' }, { dequantize: false });
    expect(cb).toHaveLength(1);
    expect(cb[0]).toMatch(/'continuous-bernoulli' decoder .* mnist.* exactly 0 or 1/);
    expect(warn({ decoder: 'gaussian' }, { dequantize: false })[0]).toMatch(/'gaussian' decoder/);
    expect(warn({ decoder: 'gaussian', decoderMinLogVar: -11 }, { dequantize: false })).toEqual([]);
    expect(warn({ decoder: 'gaussian' }, {})).toEqual([]); // dequantized by default
    const b = warn({ decoder: 'bernoulli' }, {});
    expect(b).toHaveLength(1);
    expect(b[0]).toMatch(/'bernoulli' decoder .* grey levels of .*mnist/);
    expect(warn({ decoder: 'bernoulli' }, { binarize: 'dynamic' })).toEqual([]);
  });

  it('bits/dim of a run: log 256 for dequantized data, plain for a Bernoulli on binary pixels, none for densities on grey levels', () => {
    const bits = (model: Record<string, unknown>, train: Record<string, unknown>): number | null => {
      const { config, data } = resolveRunConfig({ model, train: { trainN: 20, ...train } });
      return runBitsPerDim(config.model, data.preprocess, 700, data.train);
    };
    expect(bits({ decoder: 'gaussian' }, { binarize: 'none' })).toBeCloseTo((700 + 784 * Math.log(256)) / (784 * Math.LN2), 10);
    expect(bits({}, {})).toBeCloseTo(700 / (784 * Math.LN2), 10); // dynamic binarization
    expect(bits({}, { binarize: 'static' })).toBeCloseTo(700 / (784 * Math.LN2), 10);
    expect(bits({}, { binarize: 'none' })).toBeNull(); // Bernoulli on grey levels
    expect(bits({ decoder: 'gaussian' }, { binarize: 'none', dequantize: false })).toBeNull();
  });
});
