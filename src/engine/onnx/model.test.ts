import { describe, expect, it } from 'vitest';
import { add, constant, exp, input, matmul, mul, param } from '../ops.js';
import { Parameter } from '../parameter.js';
import { compileGraph } from '../runtime.js';
import { buildOnnxModel, lowerToOnnx } from './model.js';
import { onnx } from './proto.js';

function mlp(): { x: ReturnType<typeof input>; y: ReturnType<typeof add>; w: Parameter } {
  const w = new Parameter('fc.w', [3, 2], Float32Array.from([1, 2, 3, 4, 5, 6]));
  const x = input('x', [4, 3]);
  return { x, y: add(exp(matmul(x, param(w))), constant(0.5)), w };
}

describe('buildOnnxModel', () => {
  it('writes the same bytes for the same graph built twice', () => {
    const a = mlp();
    const b = mlp();
    const bytesA = buildOnnxModel({ inputs: [a.x], outputs: { y: a.y }, params: 'inputs' });
    const bytesB = buildOnnxModel({ inputs: [b.x], outputs: { y: b.y }, params: 'inputs' });
    expect(Buffer.from(bytesA).equals(Buffer.from(bytesB))).toBe(true);
    const withValues = buildOnnxModel({ inputs: [a.x], outputs: { y: a.y }, params: 'initializers' });
    expect(Buffer.from(withValues).equals(Buffer.from(bytesA))).toBe(false);
  });

  it('declares opset 18, IR 8, inputs in order, parameters as inputs or initializers', () => {
    const { x, y, w } = mlp();
    const unused = input('unused', [2], 'int64');
    const asInputs = onnx.ModelProto.decode(buildOnnxModel({ inputs: [unused, x], outputs: { y }, params: 'inputs' }));
    expect(Number(asInputs.irVersion)).toBe(8);
    expect(asInputs.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 18]]);
    expect(asInputs.graph!.input!.map((v) => v.name)).toEqual(['unused', 'x', 'fc.w']);
    expect(asInputs.graph!.output!.map((v) => v.name)).toEqual(['y']);
    const asInit = onnx.ModelProto.decode(buildOnnxModel({ inputs: [x], outputs: { y }, params: 'initializers' }));
    expect(asInit.graph!.input!.map((v) => v.name)).toEqual(['x']);
    const init = asInit.graph!.initializer!.find((t) => t.name === 'fc.w')!;
    expect(Array.from(new Float32Array(new Uint8Array(init.rawData!).buffer))).toEqual(Array.from(w.value));
    const scalar = asInit.graph!.initializer!.find((t) => t.name !== 'fc.w')!;
    expect(scalar.dims).toEqual([]);
  });

  it('outputs leaves and shared tensors through Identity nodes', async () => {
    const w = new Parameter('w', [2], Float32Array.from([3, 4]));
    const x = input('x', [2]);
    const y = mul(x, param(w));
    const graph = await compileGraph({
      inputs: [x],
      outputs: { y, y2: y, xOut: x, wOut: param(w), c: constant([7, 8], [2]) },
      params: 'initializers',
    });
    const out = await graph.run({ x: Float32Array.from([1, 2]) });
    expect(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v as Float32Array)]))).toEqual({
      y: [3, 8],
      y2: [3, 8],
      xOut: [1, 2],
      wOut: [3, 4],
      c: [7, 8],
    });
  });

  it('keeps user names when internal names would collide', async () => {
    const x = input('exp_1', [2]);
    const graph = await compileGraph({ inputs: [x], outputs: { add_2: add(exp(x), 1), exp_1_1: mul(x, 2) }, params: 'inputs' });
    const out = await graph.run({ exp_1: Float32Array.from([0, 1]) });
    expect(Array.from(out.add_2 as Float32Array)).toEqual([2, Math.fround(Math.E + 1)]);
    expect(Array.from(out.exp_1_1 as Float32Array)).toEqual([0, 2]);
  });

  it('rejects graphs whose names or inputs do not add up', () => {
    const x = input('x', [2]);
    const y = exp(x);
    const build = (spec: Partial<Parameters<typeof buildOnnxModel>[0]>): Uint8Array =>
      buildOnnxModel({ inputs: [x], outputs: { y }, params: 'inputs', ...spec });
    expect(() => build({ inputs: [] })).toThrow(/reads input 'x' \[2\] ?which spec.inputs does not list/);
    expect(() => build({ inputs: [x, x] })).toThrow(/input 'x' is listed twice/);
    expect(() => build({ inputs: [x, input('x', [2])] })).toThrow(/two different inputs are named 'x'/);
    expect(() => build({ outputs: {} })).toThrow(/at least one output/);
    expect(() => build({ outputs: { x: y } })).toThrow(/output 'x' has the name of an input/);
    const p1 = param(new Parameter('p', [2]));
    const p2 = param(new Parameter('p', [2]));
    expect(() => build({ outputs: { y: add(p1, p2) } })).toThrow(/two different parameters are named 'p'/);
    expect(() => build({ outputs: { y: add(x, param(new Parameter('x', [2]))) } })).toThrow(/parameter 'x' has the name of an input/);
  });

  it('returns the signature of the graph', () => {
    const { x, y, w } = mlp();
    const { signature } = lowerToOnnx({ inputs: [x], outputs: { y }, params: 'inputs' });
    expect(signature.params).toEqual([w]);
    expect(signature.inputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([
      ['x', 'float32', [4, 3]],
      ['fc.w', 'float32', [3, 2]],
    ]);
    expect(signature.outputs.map((v) => [v.name, v.shape])).toEqual([['y', [4, 2]]]);
  });
});
