/**
 * Standalone ONNX files of a trained model's inference graphs, loadable by any onnxruntime (Python,
 * C++, the browser): the encoder x → (μ(x), σ(x)) and the decoder z → E[x|z] (and σ_x(z) for Gaussian
 * decoders). Parameters are baked in; shapes are static, with the batch size chosen at export.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exportOnnx } from '../engine/checkpoint.js';
import { input } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { decode, encode } from './generate.js';
import type { LatentVariableModel } from './types.js';

/** Where {@link exportModel} wrote the graphs, and their interfaces. */
export interface ExportedModel {
  /** `encoder.onnx`: input `x` [batch, D]; outputs `mu`, `sigma` [batch, d]. */
  encoder: string;
  /** `decoder.onnx`: input `z` [batch, d]; output `mean` [batch, D] and, for Gaussian decoders, `std`. */
  decoder: string;
  /** The decoder's outputs: `mean`, and `std` for Gaussian decoders. */
  decoderOutputs: string[];
}

/** Writes `encoder.onnx` and `decoder.onnx` for `model` into `dir` (created if needed), for batches of `batch`. */
export async function exportModel(model: LatentVariableModel, dir: string, batch = 1): Promise<ExportedModel> {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`export: batch must be a positive integer, got ${batch}`);
  const x = input('x', [batch, model.dataSize]);
  const { mu, sigma } = encode(model, x);
  const z = input('z', [batch, model.latentSize]);
  const { mean, std } = decode(model, z);
  const decoderOutputs: Record<string, Tensor> = std ? { mean, std } : { mean };
  await mkdir(dir, { recursive: true });
  const paths = { encoder: join(dir, 'encoder.onnx'), decoder: join(dir, 'decoder.onnx') };
  await exportOnnx(paths.encoder, { inputs: [x], outputs: { mu, sigma }, name: 'encoder' });
  await exportOnnx(paths.decoder, { inputs: [z], outputs: decoderOutputs, name: 'decoder' });
  return { ...paths, decoderOutputs: Object.keys(decoderOutputs) };
}
