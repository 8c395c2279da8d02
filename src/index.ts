/**
 * vaelab's public API, one namespace per layer (DESIGN.md). Each layer is also importable on its own:
 * `vaelab/engine`, `vaelab/nn`, `vaelab/distributions`, `vaelab/models`, `vaelab/objectives`, `vaelab/data`,
 * `vaelab/report`, `vaelab/compress`.
 */
export * as engine from './engine/index.js';
export * as nn from './nn/index.js';
export * as distributions from './distributions/index.js';
export * as models from './models/index.js';
export * as objectives from './objectives/index.js';
export * as data from './data/index.js';
export { runExperiment, resumeExperiment, loadRun, type RunConfig, type RunConfigInput, type RunSummary } from './train/experiment.js';
export { PRESETS, PRESET_NAMES, type PresetName } from './train/presets.js';
export * as report from './report/index.js';
export * as samplers from './eval/samplers/index.js';
export * as generation from './eval/generation/index.js';
export * as sweep from './sweep/index.js';
export * as evaluation from './eval/index.js';
export * as compress from './compress/index.js';
