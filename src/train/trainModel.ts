/**
 * `train(model, dataset, options)`: the library's way to give a model object the whole pipeline of a
 * built-in one (checkpoints, resume, metrics, validation, the final evaluation, the report), as
 * `vaelab train` does for a config. A thin call of {@link runExperiment}.
 */
import type { LatentVariableModel } from '../models/types.js';
import { runExperiment, type RunOptions, type RunSummary } from './experiment.js';

/** Options of {@link train}: the run's sections besides the model, and where and how it runs. */
export interface TrainOptions extends RunOptions {
  /** The objective (`{ kind: 'beta', beta: 4 }`; inferred as `vaelab train` does when absent). */
  readonly objective?: Record<string, unknown>;
  /** Training options (batch, epochs, seed, validation, ...; the dataset is {@link train}'s argument). */
  readonly train?: Record<string, unknown>;
  /** The final evaluation's options (`{ k: 100, n: 500 }`, `{ enabled: false }`). */
  readonly eval?: Record<string, unknown>;
  /** Modules that register the model's parts, recorded in the run so that `vaelab eval` & co. rebuild it. */
  readonly plugins?: readonly string[];
}

/**
 * Trains `model` on `dataset` (a name such as 'mnist', or a path: a folder of PNGs, an IDX/NPY/CSV file)
 * and writes the run directory `options.out`, which `vaelab eval`, `report`, `train --resume` and
 * `serve` open like any run. `model` is a model object (built by `createModel`, its parts registered) or
 * a model config section, whose data shape the run fills in from the data set.
 */
export function train(model: LatentVariableModel | Record<string, unknown>, dataset: string, options: TrainOptions): Promise<RunSummary> {
  const { objective, train: trainSection, eval: evalSection, plugins, ...run } = options;
  return runExperiment({ model, objective, train: { ...trainSection, dataset }, eval: evalSection, plugins }, run);
}
