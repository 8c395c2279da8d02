import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from './onnx/model.js';
import { add, cast, greater, input, mul, sum } from './ops.js';
import { CompiledGraph, clearSessionCache, compileGraph } from './runtime.js';

function model(scale = 2): Uint8Array {
  const x = input('x', [2, 3]);
  const n = input('n', [], 'int64');
  return buildOnnxModel({
    inputs: [x, n],
    outputs: { y: mul(x, scale), total: add(sum(x), cast(n, 'float32')), positive: greater(x, 0), n2: add(n, n) },
    params: 'inputs',
  });
}

describe('CompiledGraph', () => {
  afterAll(() => clearSessionCache());

  it('shares one session per (bytes, options)', async () => {
    const [a, b] = await Promise.all([CompiledGraph.create(model()), CompiledGraph.create(model())]);
    expect(a).toBe(b);
    expect(await CompiledGraph.create(model(), { threads: 1 })).not.toBe(a);
    expect(await CompiledGraph.create(model(3))).not.toBe(a);
    await a.release();
    expect(await CompiledGraph.create(model())).not.toBe(a);
  });

  it('runs with typed-array and number feeds, returning fresh arrays of each dtype', async () => {
    const g = await CompiledGraph.create(model());
    const x = Float32Array.from([1, -2, 3, -4, 5, 6]);
    const out = await g.run({ x, n: 10 });
    expect(Array.from(out.y as Float32Array)).toEqual([2, -4, 6, -8, 10, 12]);
    expect(Array.from(out.total as Float32Array)).toEqual([19]);
    expect(out.positive).toBeInstanceOf(Uint8Array);
    expect(Array.from(out.positive as Uint8Array)).toEqual([1, 0, 1, 0, 1, 1]);
    expect(out.n2).toEqual(BigInt64Array.of(20n));
    x.fill(0); // outputs are copies: mutating the feed afterwards changes nothing
    expect((out.y as Float32Array)[0]).toBe(2);
    const some = await g.run({ x, n: BigInt64Array.of(1n) }, ['n2']);
    expect(Object.keys(some)).toEqual(['n2']);
    expect(g.inputSignature).toEqual([
      { name: 'x', dtype: 'float32', shape: [2, 3] },
      { name: 'n', dtype: 'int64', shape: [] },
    ]);
  });

  it('writes outputs into preallocated buffers and returns those buffers', async () => {
    const g = await CompiledGraph.create(model());
    const y = new Float32Array(6).fill(-1);
    const out = await g.run({ x: Float32Array.of(1, 2, 3, 4, 5, 6), n: 1 }, ['y', 'total'], { y });
    expect(out.y).toBe(y);
    expect([...y]).toEqual([2, 4, 6, 8, 10, 12]);
    expect([...(out.total as Float32Array)]).toEqual([22]);
    await expect(g.run({ x: new Float32Array(6), n: 1 }, ['y'], { y: new Float32Array(5) })).rejects.toThrow(
      /output 'y' \[2,3\]:float32 needs 6 elements, got 5/,
    );
  });

  it('names the input, shape and dtype in feed errors', async () => {
    const g = await CompiledGraph.create(model());
    const x = new Float32Array(6);
    await expect(g.run({ n: 1 })).rejects.toThrow(/missing feed 'x' \[2,3\]:float32/);
    await expect(g.run({ x: new Float32Array(5), n: 1 })).rejects.toThrow(/input 'x' \[2,3\]:float32 needs 6 elements, got 5/);
    await expect(g.run({ x, n: Float32Array.of(1) })).rejects.toThrow(/input 'n' \[\]:int64 needs a BigInt64Array, got Float32Array/);
    await expect(g.run({ x, n: 1, z: 1 })).rejects.toThrow(/'z' is not an input of this graph \(inputs: x, n\)/);
    await expect(g.run({ x, n: 1 }, ['nope'])).rejects.toThrow(/'nope' is not an output/);
  });

  it('compileGraph builds and loads in one call; profiling writes a trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-profile-'));
    try {
      const x = input('x', [3]);
      const g = await compileGraph({ inputs: [x], outputs: { y: add(x, 1) }, params: 'inputs' }, { profile: join(dir, 'run'), threads: 1 });
      expect(Array.from((await g.run({ x: Float32Array.of(1, 2, 3) })).y as Float32Array)).toEqual([2, 3, 4]);
      g.endProfiling();
      expect(readdirSync(dir).some((f) => f.startsWith('run') && f.endsWith('.json'))).toBe(true);
      await g.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
