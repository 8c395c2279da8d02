/**
 * Training runs (DESIGN.md layer 6): a whole run from a config or a model object, resume, loading a
 * trained run back, presets, run directories and plugins that register model parts.
 */
export { train, type TrainOptions } from './trainModel.js';
export {
  runExperiment,
  resumeExperiment,
  loadRun,
  loadRunData,
  evaluateModel,
  mergeConfigs,
  resolveRunConfig,
  parseStoredConfig,
  inferObjectiveKind,
  type RunConfig,
  type RunConfigInput,
  type RunInput,
  type RunData,
  type RunSummary,
  type RunOptions,
  type ResumeOverrides,
  type LoadedRun,
} from './experiment.js';
export {
  trainConfigSchema,
  evalConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
  type EvalConfig,
  type EvalConfigInput,
} from './config.js';
export { PRESETS, PRESET_NAMES, isPresetName, type PresetName } from './presets.js';
export { configFromFlags, flagsToConfig, runFlagsSchema, type RunFlags } from './flagConfig.js';
export { loadPlugins } from './plugins.js';
export {
  defaultRunDir,
  runPaths,
  readRunConfig,
  readSummaryFile,
  readMetrics,
  RunDirError,
  type RunPaths,
  type StepRecord,
  type ValidationRecord,
} from './runDir.js';
export { newestCheckpoint, type CheckpointName, type FoundCheckpoint } from './checkpoints.js';
export { createProgress, type ProgressReporter, type ProgressOptions } from './progress.js';
export { evaluationSeed, evaluationInputs } from './seeds.js';
