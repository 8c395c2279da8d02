/**
 * The runtime seam: the one place the engine meets onnxruntime. A {@link RuntimeBackend} makes
 * sessions and tensors; `nodeBackend.ts` wraps onnxruntime-node (native CPU), `webBackend.ts`
 * onnxruntime-web (WebAssembly, in a page or worker). `defaultBackend.ts` picks onnxruntime-node;
 * browser bundles swap it for `defaultBackend.browser.ts` (see `src/lab/bundle.ts`), so nothing the
 * browser loads imports a Node built-in. Both packages share onnxruntime-common's API and types.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** An onnxruntime flavour the engine can run graphs on. */
export interface RuntimeBackend {
  /** 'onnxruntime-node' or 'onnxruntime-web'. */
  readonly name: string;
  /** Execution providers passed to every session ('cpu' for node, 'wasm' for web). */
  readonly executionProviders: readonly string[];
  /**
   * Whether a run may write outputs into caller-owned buffers (onnxruntime-node does); when false
   * the engine copies the outputs into them after the run.
   */
  readonly preallocatedOutputs: boolean;
  /** Creates a session for the model bytes. */
  createSession(model: Uint8Array, options: InferenceSession.SessionOptions): Promise<InferenceSession>;
  /** Wraps `data` (not copied) as a tensor. */
  tensor(type: 'float32' | 'int64' | 'bool', data: Float32Array | BigInt64Array | Uint8Array, dims: readonly number[]): Tensor;
  /**
   * The channel block of the blocked (NCHWc) convolution kernels this backend has on this CPU, or 0
   * without them; absent means 0. Models for this backend then use them (see `onnx/nchwc.ts`).
   */
  nchwcBlock?(): Promise<number>;
  /** A hex SHA-256 of `bytes` (session cache keys). */
  sha256(bytes: Uint8Array): string;
}
