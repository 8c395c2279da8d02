/** The onnxruntime-node {@link RuntimeBackend}: native CPU kernels (MLAS), Node only. */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import type { RuntimeBackend } from './runtimeBackend.js';

/** onnxruntime-node on the CPU execution provider. */
export const nodeBackend: RuntimeBackend = {
  name: 'onnxruntime-node',
  executionProviders: ['cpu'],
  preallocatedOutputs: true,
  createSession: (model, options) => ort.InferenceSession.create(model, options),
  tensor: (type, data, dims) => new ort.Tensor(type, data, dims),
  sha256: (bytes) => createHash('sha256').update(bytes).digest('hex'),
};
