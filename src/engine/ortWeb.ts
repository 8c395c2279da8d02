/**
 * An onnxruntime-web build as a {@link RuntimeBackend}. The wasm build (`webBackend.ts`) and the WebGPU
 * build (`webgpuBackend.ts`) share onnxruntime-common's API; each has its own `env`, set by `configure`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type * as OrtWeb from 'onnxruntime-web';
import type { RuntimeBackend } from './runtimeBackend.js';

/** Where onnxruntime-web finds its wasm files and how many threads it uses (set before the first session). */
export interface WebBackendOptions {
  /** URL prefix of onnxruntime-web's `.mjs` and `.wasm` files (default: next to the script). */
  wasmPaths?: string;
  /** WebAssembly threads (default 1). */
  threads?: number;
}

/** The backend of the onnxruntime-web build `ort` on `executionProviders`, and the setter of that build's options. */
export function ortWebBackend(
  ort: typeof OrtWeb,
  name: string,
  executionProviders: readonly string[],
): { backend: RuntimeBackend; configure: (opts: WebBackendOptions) => void } {
  return {
    backend: {
      name,
      executionProviders,
      // Outputs come back as fresh arrays copied out of the wasm heap (or the GPU); the engine copies them on.
      preallocatedOutputs: false,
      createSession: (model, options) => ort.InferenceSession.create(model, options),
      tensor: (type, data, dims) => new ort.Tensor(type, data, dims),
      sha256: (bytes) => bytesToHex(sha256(bytes)),
    },
    configure: (opts) => {
      if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
      ort.env.wasm.numThreads = opts.threads ?? 1;
      ort.env.logLevel = 'error';
    },
  };
}
