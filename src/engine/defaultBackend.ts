/** The backend the engine uses unless told otherwise: onnxruntime-node (browser bundles swap this file, see runtimeBackend.ts). */
export { nodeBackend as defaultBackend } from './nodeBackend.js';
