/** The browser's stand-in for defaultBackend.ts: onnxruntime-web (see runtimeBackend.ts). */
export { webBackend as defaultBackend } from './webBackend.js';
