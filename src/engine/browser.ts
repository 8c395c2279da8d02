/**
 * The engine for the browser: everything of `index.ts` except checkpoint directories (files on disk),
 * running on onnxruntime-web when bundled with `src/lab/build.ts`'s {@link https://esbuild.github.io esbuild}
 * options. `safetensors.ts` writes and reads checkpoint data files in memory.
 */
export * from './primitives.js';
export * from './tensor.js';
export * from './parameter.js';
export * from './ops.js';
export * from './composite.js';
export { Random } from './random.js';
export { grad, unbroadcast } from './grad.js';
export { evaluate, type EvaluateOptions } from './reference.js';
export * from './optim.js';
export { TrainStep, type TrainStepOptions, type TrainStepSpec, type StepResult } from './trainStep.js';
export { GraphFunction, type GraphFunctionSpec } from './function.js';
export * from './safetensors.js';
export { CompiledGraph, compileGraph, setRuntimeBackend, runtimeBackend, type Feed, type Fetched, type RuntimeOptions } from './runtime.js';
export type { RuntimeBackend } from './runtimeBackend.js';
export { configureWebBackend, webBackend, type WebBackendOptions } from './webBackend.js';
export { UserError } from './errors.js';
