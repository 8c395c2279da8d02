import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { PixelVAE } from './pixelvae.js';
import { createModel } from './registry.js';

const pixelVae = (shape: number[], extra: Record<string, unknown> = {}): PixelVAE =>
  createModel(
    {
      kind: 'pixelvae',
      dataShape: shape,
      latent: 2,
      hidden: [8],
      pixelLayers: 1,
      pixelKernel: 3,
      pixelChannels: 4,
      condChannels: 2,
      ...extra,
    },
    { seed: 3 },
  ) as PixelVAE;

describe('PixelVAE decoder', () => {
  it('p(x|z) is normalised: Σ over all 2^9 binary 3×3 images of exp log p(x|z) = 1, in one pass', () => {
    const model = pixelVae([1, 3, 3], { pixelLayers: 2 });
    const N = 512;
    const x = input('x', [N, 9]);
    const z = input('z', [N, 2]);
    const logp = model.likelihood.logProb(x, model.pixelParameters(x, z));
    const xs = Float64Array.from({ length: N * 9 }, (_, k) => (Math.floor(k / 9) >> (k % 9)) & 1);
    const zRow = [0.7, -1.3];
    const [lp] = interpret([logp], { x: xs, z: Float64Array.from({ length: N * 2 }, (_, k) => zRow[k % 2]) });
    expect(lp.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 9);
    expect(new Set(Array.from(lp, (v) => v.toFixed(6))).size).toBeGreaterThan(100);
  });

  it('depends on z through the conditioning map', () => {
    const model = pixelVae([1, 3, 3]);
    const x = input('x', [1, 9]);
    const z = input('z', [1, 2]);
    const logp = model.likelihood.logProb(x, model.pixelParameters(x, z));
    const xs = [1, 0, 1, 1, 0, 0, 1, 0, 1];
    const [a] = interpret([logp], { x: xs, z: [0, 0] });
    const [b] = interpret([logp], { x: xs, z: [2, -2] });
    expect(Math.abs(a[0] - b[0])).toBeGreaterThan(1e-4);
  });

  it('rejects flat data', () => {
    expect(() => pixelVae([16])).toThrow(/pixelvae.*image shape/);
  });
});
