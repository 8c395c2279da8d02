/**
 * The onnxruntime-web WebGPU {@link RuntimeBackend}: the same graphs on the GPU through onnxruntime's
 * WebGPU execution provider, for pages and Web Workers where `navigator.gpu` gives an adapter. Nodes the
 * WebGPU provider has no kernel for run on onnxruntime-web's CPU (wasm) kernels in the same session, so
 * every vaelab graph runs; the Lab uses it with `?backend=webgpu` and falls back to {@link webBackend}.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as ort from 'onnxruntime-web/webgpu';
import type { RuntimeBackend } from './runtimeBackend.js';
import type { WebBackendOptions } from './webBackend.js';

/** Sets this onnxruntime-web build's global options (its own `env`, separate from the wasm build's). */
export function configureWebGpuBackend(opts: WebBackendOptions): void {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.wasm.numThreads = opts.threads ?? 1;
  ort.env.logLevel = 'error';
}

/** Structural view of the little of the WebGPU API this file touches (the project has no DOM types). */
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<object | null> };
}

/**
 * Why WebGPU cannot be used here, or null when an adapter is available. Call before choosing
 * {@link webgpuBackend}: onnxruntime-web would otherwise fail only when the first session is created.
 */
export async function webGpuUnavailable(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: GpuNavigator }).navigator?.gpu;
  if (!gpu) return 'this browser exposes no navigator.gpu (WebGPU needs a recent Chromium-based browser and a secure context)';
  try {
    return (await gpu.requestAdapter()) ? null : 'navigator.gpu.requestAdapter() found no GPU adapter';
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** onnxruntime-web on the WebGPU execution provider (CPU kernels for the nodes it lacks). */
export const webgpuBackend: RuntimeBackend = {
  name: 'onnxruntime-web (webgpu)',
  executionProviders: ['webgpu'],
  // Outputs are read back to the CPU (the sessions' default output location) as fresh arrays.
  preallocatedOutputs: false,
  createSession: (model, options) => ort.InferenceSession.create(model, options),
  tensor: (type, data, dims) => new ort.Tensor(type, data, dims),
  sha256: (bytes) => bytesToHex(sha256(bytes)),
};
