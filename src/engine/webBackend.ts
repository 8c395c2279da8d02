/**
 * The onnxruntime-web {@link RuntimeBackend}: onnxruntime's CPU kernels compiled to WebAssembly, for
 * pages and Web Workers. Multi-threaded wasm needs a cross-origin-isolated page (COOP/COEP headers);
 * elsewhere onnxruntime-web falls back to one thread.
 */
import * as ort from 'onnxruntime-web/wasm';
import { ortWebBackend } from './ortWeb.js';
import type { RuntimeBackend } from './runtimeBackend.js';

export type { WebBackendOptions } from './ortWeb.js';

const wasm = ortWebBackend(ort, 'onnxruntime-web', ['wasm']);

/** onnxruntime-web on the wasm execution provider. */
export const webBackend: RuntimeBackend = wasm.backend;

/** Sets onnxruntime-web's global wasm options; call before the first session is created. */
export const configureWebBackend = wasm.configure;
