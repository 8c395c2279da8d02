import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { sampleChunks } from '../eval/evaluate.js';
import { PRESETS } from '../train/presets.js';
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
  it('evaluates the NLL in chunks of about 1 GiB of feature maps: K = 100 on 20 images in runs of 5 samples for the preset', () => {
    const model = createModel({ ...PRESETS['pixelvae-mnist'].model, dataShape: [1, 28, 28] }, { seed: 0 });
    // 2^30 bytes / (64 bytes × 784 pixels × 32 channels × 6 blocks) = 111 rows; 111 / 20 images = 5 samples.
    expect(model.evaluationRows).toBe(111);
    expect(sampleChunks(100, Math.floor(model.evaluationRows! / 20))).toEqual(new Array(20).fill(5));
    // Models without large activations keep the default 5,000 rows: K = 1,000 on 20 images in 4 runs of 250.
    expect(createModel({ kind: 'vae', dataShape: [1, 28, 28], latent: 2, hidden: [8] }, { seed: 0 }).evaluationRows).toBeUndefined();
    expect(sampleChunks(1000, 5000 / 20)).toEqual([250, 250, 250, 250]);
    expect(sampleChunks(12, 5)).toEqual([5, 5, 2]);
  });

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
