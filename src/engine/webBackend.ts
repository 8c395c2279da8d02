/**
 * The onnxruntime-web {@link RuntimeBackend}: onnxruntime's CPU kernels compiled to WebAssembly, for
 * pages and Web Workers. Multi-threaded wasm needs a cross-origin-isolated page (COOP/COEP headers);
 * elsewhere onnxruntime-web falls back to one thread.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as ort from 'onnxruntime-web/wasm';
import type { RuntimeBackend } from './runtimeBackend.js';

/** Where onnxruntime-web finds its wasm files and how many threads it uses (set before the first session). */
export interface WebBackendOptions {
  /** URL prefix of `ort-wasm-simd-threaded.{mjs,wasm}` (default: next to the script). */
  wasmPaths?: string;
  /** WebAssembly threads (default 1). */
  threads?: number;
}

/** Sets onnxruntime-web's global wasm options; call before the first session is created. */
export function configureWebBackend(opts: WebBackendOptions): void {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.wasm.numThreads = opts.threads ?? 1;
  ort.env.logLevel = 'error';
}

/** onnxruntime-web on the wasm execution provider. */
export const webBackend: RuntimeBackend = {
  name: 'onnxruntime-web',
  executionProviders: ['wasm'],
  // Outputs come back as fresh arrays copied out of the wasm heap; the engine copies them on.
  preallocatedOutputs: false,
  createSession: (model, options) => ort.InferenceSession.create(model, options),
  tensor: (type, data, dims) => new ort.Tensor(type, data, dims),
  sha256: (bytes) => bytesToHex(sha256(bytes)),
};
