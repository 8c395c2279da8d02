import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  expectedShapes,
  exportOnnx,
  loadCheckpoint,
  MANIFEST,
  parameterGroup,
  readSafetensors,
  restoreParameters,
  saveCheckpoint,
  writeSafetensors,
} from './checkpoint.js';
import { add, input, matmul, param, sigmoid } from './ops.js';
import { Parameter } from './parameter.js';
import { compileGraph } from './runtime.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vaelab-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function params(seed = 1): Parameter[] {
  const fill = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 7 + k + i)));
  return [new Parameter('enc.w', [3, 2], fill(6, 0)), new Parameter('enc.b', [2], fill(2, 1)), new Parameter('scalar', [], fill(1, 2))];
}

describe('safetensors', () => {
  it('round-trips float32 tensors with an 8-byte aligned header', () => {
    const bytes = writeSafetensors(
      { b: { shape: [2], data: Float32Array.of(1, 2) }, a: { shape: [1, 3], data: Float32Array.of(-1, 0.5, 3) } },
      { format: 'pt' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
    expect(header.a).toEqual({ dtype: 'F32', shape: [1, 3], data_offsets: [0, 12] });
    expect(header.b.data_offsets).toEqual([12, 20]);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    const back = readSafetensors(bytes);
    expect(Array.from(back.tensors.a.data)).toEqual([-1, 0.5, 3]);
    expect(back.tensors.b.shape).toEqual([2]);
  });

  it('rejects truncated files and bad headers, naming the file and tensor', () => {
    const bytes = writeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 4), 'm.safetensors')).toThrow(
      /m\.safetensors: tensor 'w' ends at byte 16 past the data \(12 bytes\)/,
    );
    expect(() => readSafetensors(bytes.subarray(0, 20), 'm.safetensors')).toThrow(/header length \d+ exceeds the file/);
    const garbled = bytes.slice();
    garbled[9] = 0x7b; // '{{' is not JSON
    expect(() => readSafetensors(garbled, 'g.safetensors')).toThrow(/g\.safetensors: header is not valid JSON/);
    expect(() => readSafetensors(new Uint8Array(3), 'x')).toThrow(CheckpointError);
  });
});

describe('checkpoints', () => {
  it('round-trips groups, step and metadata, and restores parameters', async () => {
    const ps = params();
    const state = { 'enc.w/m': { shape: [3, 2], data: new Float32Array(6).fill(0.25) } };
    await saveCheckpoint(dir, {
      step: 42,
      groups: { model: parameterGroup(ps), optimizer: state },
      metadata: { rng: [1, 2, 3, 4], lr: 1e-3 },
    });
    const files = readdirSync(dir).sort();
    expect(files).toContain(MANIFEST);
    expect(files.filter((f) => f.endsWith('.safetensors'))).toHaveLength(2);
    const back = await loadCheckpoint(dir, { expect: { model: expectedShapes(ps) } });
    expect(back.step).toBe(42);
    expect(back.metadata).toEqual({ rng: [1, 2, 3, 4], lr: 1e-3 });
    expect(Array.from(back.groups.optimizer['enc.w/m'].data)).toEqual(Array.from(state['enc.w/m'].data));
    const fresh = params(2);
    restoreParameters(fresh, back.groups.model);
    fresh.forEach((p, i) => expect(Array.from(p.value)).toEqual(Array.from(ps[i].value)));
    expect(back.groups.model.scalar.shape).toEqual([]);
  });

  it('replaces the previous checkpoint and removes its files', async () => {
    const ps = params();
    await saveCheckpoint(dir, { step: 1, groups: { model: parameterGroup(ps) } });
    const first = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
    ps[0].value = new Float32Array(6).fill(9);
    await saveCheckpoint(dir, { step: 2, groups: { model: parameterGroup(ps) } });
    const second = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    expect((await loadCheckpoint(dir)).groups.model['enc.w'].data[0]).toBe(9);
  });

  it('survives a crash mid-save: leftover temp files and unreferenced files are ignored', async () => {
    const ps = params();
    await saveCheckpoint(dir, { step: 5, groups: { model: parameterGroup(ps) } });
    // A save that died after writing a data file and while writing the manifest.
    writeFileSync(join(dir, 'model-deadbeef0000.safetensors'), writeSafetensors({ 'enc.w': { shape: [1], data: Float32Array.of(7) } }));
    writeFileSync(join(dir, `.${MANIFEST}.tmp-1-abcd`), '{"format": "vaelab-checkpoint", "vers');
    const back = await loadCheckpoint(dir, { expect: { model: expectedShapes(ps) } });
    expect(back.step).toBe(5);
    expect(Array.from(back.groups.model['enc.w'].data)).toEqual(Array.from(ps[0].value));
  });

  it('gives clear errors for missing, corrupted and mismatched checkpoints', async () => {
    await expect(loadCheckpoint(dir)).rejects.toThrow(/no checkpoint\.json; not a checkpoint directory/);
    const ps = params();
    await saveCheckpoint(dir, { step: 3, groups: { model: parameterGroup(ps) } });
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    const file = join(dir, manifest.files.model.file);

    const wrong = [new Parameter('enc.w', [2, 3]), new Parameter('missing', [1])];
    await expect(loadCheckpoint(dir, { expect: { model: expectedShapes(wrong.slice(0, 1)) } })).rejects.toThrow(
      new RegExp(`model-[0-9a-f]{12}\\.safetensors: tensor 'enc.w' has shape \\[3,2\\], expected \\[2,3\\]`),
    );
    await expect(loadCheckpoint(dir, { expect: { model: expectedShapes(wrong.slice(1)) } })).rejects.toThrow(/tensor 'missing' is missing/);
    await expect(loadCheckpoint(dir, { expect: { optimizer: {} } })).rejects.toThrow(/no tensor group 'optimizer'/);
    expect(() => restoreParameters(wrong, parameterGroup(ps), 'ckpt')).toThrow(
      /ckpt: tensor 'enc.w' has shape \[3,2\], parameter expects \[2,3\]/,
    );

    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff; // flip bits in the data
    writeFileSync(file, bytes);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/model-[0-9a-f]{12}\.safetensors: checksum mismatch, the file is corrupted/);
    writeFileSync(file, bytes.subarray(0, 40));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/40 bytes, the manifest says \d+: truncated/);
    rmSync(file);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/cannot read file of group 'model' \(ENOENT\)/);
    writeFileSync(join(dir, MANIFEST), JSON.stringify({ ...manifest, version: 2 }));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/version 2 is not supported/);
    writeFileSync(join(dir, MANIFEST), '{"form');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint\.json: not valid JSON/);
  });
});

describe('exportOnnx', () => {
  it('writes a self-contained model that a fresh InferenceSession runs like the training-time graph', async () => {
    const [w, b] = params();
    const x = input('x', [4, 3]);
    const y = sigmoid(add(matmul(x, param(w)), param(b)));
    const feed = Float32Array.from({ length: 12 }, (_, i) => i / 6 - 1);
    const training = await compileGraph({ inputs: [x], outputs: { y }, params: 'inputs' });
    const want = (await training.run({ x: feed, 'enc.w': w.value, 'enc.b': b.value })).y as Float32Array;

    const path = join(dir, 'model.onnx');
    await exportOnnx(path, { inputs: [x], outputs: { y } });
    expect(readdirSync(dir)).toEqual(['model.onnx']);
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames).toEqual(['x']);
    const got = (await session.run({ x: new ort.Tensor('float32', feed, [4, 3]) })).y.data as Float32Array;
    expect(Array.from(got)).toEqual(Array.from(want));
    await session.release();
    expect(existsSync(path)).toBe(true);
  });
});
