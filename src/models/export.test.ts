import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphFunction } from '../engine/function.js';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { exportModel } from './export.js';
import { decode, encode } from './generate.js';
import { createModel } from './registry.js';

describe('exportModel', () => {
  it('writes encoder and decoder graphs that a fresh onnxruntime session runs with the same results', async () => {
    const model = createModel({ kind: 'vae', decoder: 'gaussian', latent: 3, hidden: [16], dataShape: [10] }, { seed: 4 });
    const dir = join(mkdtempSync(join(tmpdir(), 'vaelab-export-')), 'onnx');
    const files = await exportModel(model, dir, 4);
    const rng = new Random(1);
    const xb = rng.fillUniform(new Float32Array(4 * 10));
    const zb = rng.fillNormal(new Float32Array(4 * 3));

    const x = input('x', [4, 10]);
    const z = input('z', [4, 3]);
    const { mean, std } = decode(model, z);
    const expected = await GraphFunction.create({ inputs: [x, z], outputs: { ...encode(model, x), mean, std: std! } });
    const want = await expected.run({ x: xb, z: zb });

    const encoder = await ort.InferenceSession.create(files.encoder);
    const decoder = await ort.InferenceSession.create(files.decoder);
    expect(encoder.inputNames).toEqual(['x']);
    expect(decoder.outputNames).toEqual(['mean', 'std']);
    const e = await encoder.run({ x: new ort.Tensor('float32', xb, [4, 10]) });
    const d = await decoder.run({ z: new ort.Tensor('float32', zb, [4, 3]) });
    expect([...(e.mu.data as Float32Array)]).toEqual([...want.mu]);
    expect([...(e.sigma.data as Float32Array)]).toEqual([...want.sigma]);
    expect([...(d.mean.data as Float32Array)]).toEqual([...want.mean]);
    expect([...(d.std.data as Float32Array)]).toEqual([...want.std]);
    expect((e.sigma.data as Float32Array).every((s) => s > 0)).toBe(true);
  });
});
