/**
 * The engine without checkpoint directories (files on disk): what the browser can load. `index.ts` adds
 * checkpoints. Browser bundles run it on onnxruntime-web (`defaultBackend.browser.ts`, swapped in by
 * `src/lab/build.ts`'s esbuild plugin or package.json's `browser` field); `safetensors.ts` writes and
 * reads checkpoint data files in memory.
 */
export * from './primitives.js';
export * from './tensor.js';
export * from './parameter.js';
export * from './ops.js';
export * from './composite.js';
export { Random } from './random.js';
export { grad, unbroadcast } from './grad.js';
export { interpret, type InterpretOptions } from './reference.js';
export * from './optim.js';
export { TrainStep, type TrainStepOptions, type TrainStepSpec, type StepResult } from './trainStep.js';
export { GraphFunction, type GraphFunctionSpec } from './function.js';
export * from './safetensors.js';
export { CompiledGraph, compileGraph, setRuntimeBackend, runtimeBackend, type Feed, type Fetched, type RuntimeOptions } from './runtime.js';
export type { RuntimeBackend } from './runtimeBackend.js';
export { UserError } from './errors.js';
