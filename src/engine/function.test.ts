import { describe, expect, it } from 'vitest';
import { GraphFunction } from './function.js';
import { add, cast, greater, input, mul, param } from './ops.js';
import { Parameter } from './parameter.js';

describe('GraphFunction', () => {
  it("runs with the parameters' current values, outputs typed by name; runFloat32 refuses other dtypes", async () => {
    const x = input('x', [3]);
    const w = new Parameter('w', [3], Float32Array.from([1, 2, 3]));
    const y = mul(x, param(w));
    const f = await GraphFunction.create({
      inputs: [x],
      outputs: { y, positive: cast(greater(y, 2), 'float32'), mask: greater(add(y, 0), 2) },
    });
    const feeds = { x: Float32Array.from([1, 1, 1]) };
    const r = await f.runFloat32(feeds, ['y', 'positive']);
    expect(Array.from(r.y)).toEqual([1, 2, 3]);
    expect(Array.from(r.positive)).toEqual([0, 0, 1]);
    w.value.set([2, 2, 2]); // no rebuild: the next run reads the new value
    expect(Array.from((await f.runFloat32(feeds, ['y'])).y)).toEqual([2, 2, 2]);
    expect(Array.from((await f.run(feeds, ['mask'])).mask as Uint8Array)).toEqual([0, 0, 0]);
    await expect(f.runFloat32(feeds)).rejects.toThrow(/runFloat32: mask is bool; use run\(\)/);
  });
});
