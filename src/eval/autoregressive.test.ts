import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import type { PixelVAE } from '../models/pixelvae.js';
import { createModel } from '../models/registry.js';
import { sampleAutoregressive } from './autoregressive.js';
import { sampleModel } from './sample.js';

const pixelVae = (pixelLayers = 1, pixelKernel = 3): PixelVAE =>
  createModel(
    {
      kind: 'pixelvae',
      dataShape: [1, 8, 8],
      latent: 2,
      hidden: [8],
      pixelLayers,
      pixelKernel,
      pixelChannels: 4,
      condChannels: 2,
    },
    { seed: 3 },
  ) as PixelVAE;

describe('autoregressive sampling', () => {
  // Windows of 2, 3 and 5 rows up on 8 rows: the row bands are exercised, and with several blocks each
  // block's vertical link and the residual horizontal stacks.
  it.each([
    [1, 3],
    [2, 3],
    [2, 5],
  ])(
    'samples pixel by pixel (%i blocks, k = %i), reproducibly; each pixel from the one-pass parameters of its context',
    async (layers, kernel) => {
      const model = pixelVae(layers, kernel);
      const n = 4;
      const z = new Random(5).fillNormal(new Float32Array(n * 2));
      const s1 = await sampleAutoregressive(model, z, n, { seed: 9, threads: 1 });
      const s2 = await sampleAutoregressive(model, z, n, { seed: 9, threads: 1 });
      const s3 = await sampleAutoregressive(model, z, n, { seed: 10, threads: 1 });
      expect(Array.from(s1.x)).toEqual(Array.from(s2.x));
      expect(Array.from(s1.x)).not.toEqual(Array.from(s3.x));
      const x = input('x', [n, 64]);
      const zi = input('z', [n, 2]);
      const [full] = interpret([model.pixelParameters(x, zi)], { x: s1.x, z });
      full.forEach((v, i) => expect(s1.parameters[i]).toBeCloseTo(v, 4));
    },
  );

  it('with common random numbers, images with the same z are the same image (and differ without)', async () => {
    const model = pixelVae();
    const n = 6;
    const z = new Float32Array(n * 2).fill(0.7);
    const common = await sampleAutoregressive(model, z, n, { seed: 2, threads: 1, commonNoise: true });
    const own = await sampleAutoregressive(model, z, n, { seed: 2, threads: 1 });
    const image = (s: Float32Array, b: number): number[] => Array.from(s.subarray(b * 64, (b + 1) * 64));
    for (let b = 1; b < n; b++) expect(image(common.x, b)).toEqual(image(common.x, 0));
    expect(Array.from({ length: n - 1 }, (_, b) => image(own.x, b + 1).join()).some((s) => s !== image(own.x, 0).join())).toBe(true);
  });

  it('sampleModel draws binary images pixel by pixel for a PixelVAE, reproducibly from its seed', async () => {
    const model = pixelVae();
    const a = await sampleModel(model, { n: 3, mode: 'ancestral', seed: 4, threads: 1 });
    const b = await sampleModel(model, { n: 3, mode: 'ancestral', seed: 4, threads: 1 });
    expect(a.length).toBe(3 * 64);
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(a)).toEqual(Array.from(b));
    const mean = await sampleModel(model, { n: 3, mode: 'mean', seed: 4, threads: 1 });
    expect(mean.every((v) => v > 0 && v < 1)).toBe(true);
  });
});
