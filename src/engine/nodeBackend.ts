/** The onnxruntime-node {@link RuntimeBackend}: native CPU kernels (MLAS), Node only. */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { NCHWC_DOMAIN } from './onnx/nchwc.js';
import { IR_VERSION, onnx, OPSET, valueInfo } from './onnx/proto.js';
import type { RuntimeBackend } from './runtimeBackend.js';

let nchwcBlock: Promise<number> | undefined;

/**
 * Asks onnxruntime for its NCHWc channel block: ReorderInput pads 4 channels up to one block (16 with
 * AVX-512, 8 with AVX2). Builds where the blocked kernels are not registered fail the probe: 0.
 */
async function probeNchwcBlock(): Promise<number> {
  const graph = {
    name: 'nchwc_probe',
    node: [{ opType: 'ReorderInput', domain: NCHWC_DOMAIN, input: ['x'], output: ['y'] }],
    input: [valueInfo('x', 'float32', [1, 4, 1, 1])],
    output: [{ name: 'y' }],
  };
  const model = {
    irVersion: IR_VERSION,
    opsetImport: [
      { domain: '', version: OPSET },
      { domain: NCHWC_DOMAIN, version: 1 },
    ],
    graph,
  };
  try {
    const session = await ort.InferenceSession.create(onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish(), {
      logSeverityLevel: 4,
    });
    const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
    await session.release();
    return Number(y.dims[1]);
  } catch {
    return 0;
  }
}

/** onnxruntime-node on the CPU execution provider. */
export const nodeBackend: RuntimeBackend = {
  name: 'onnxruntime-node',
  executionProviders: ['cpu'],
  preallocatedOutputs: true,
  createSession: (model, options) => ort.InferenceSession.create(model, options),
  tensor: (type, data, dims) => new ort.Tensor(type, data, dims),
  nchwcBlock: () => (nchwcBlock ??= probeNchwcBlock()),
  sha256: (bytes) => createHash('sha256').update(bytes).digest('hex'),
};
