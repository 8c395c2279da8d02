/** Messages between the Lab page and its training worker. */
import type { LabSettings, LabStep } from './session.js';
import type { LabViews, SampleMode } from './views.js';

/** The runtime the page asks for: onnxruntime-web's wasm CPU kernels, or its WebGPU provider. */
export type LabBackend = 'wasm' | 'webgpu';

/** Page → worker. */
export type ToWorker =
  | { type: 'init'; settings: LabSettings; threads: number; wasmPaths: string; mnistUrl: string; backend: LabBackend }
  | { type: 'reset'; settings: LabSettings }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; n: number }
  | { type: 'hyper'; beta?: number; lr?: number }
  | { type: 'view'; mode: SampleMode; alpha: number }
  | { type: 'download'; name: string }
  | { type: 'open'; bytes: Uint8Array };

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string; threads: number; dataset: string; n: number; notice?: string }
  | { type: 'steps'; steps: LabStep[]; stepsPerSecond: number }
  | { type: 'views'; views: LabViews }
  | { type: 'archive'; name: string; bytes: Uint8Array }
  | { type: 'opened'; settings: LabSettings; step: number }
  | { type: 'error'; message: string };
