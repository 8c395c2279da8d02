/**
 * The seed rule of a run: which seed each computation on a run draws from, so that the library, the CLI,
 * the report and the dashboard give the same numbers for the same run.
 *
 * - Training (initial parameters, batch order, binarization of each batch, noise): `train.seed`.
 * - Everything that looks at the trained model on data — the final evaluation, `vaelab eval`, `encode`,
 *   the report's pictures and diagnostics, the classifiers of semi-supervised runs, reproduce and sweep
 *   measurements — draws from {@link evaluationSeed} = `train.seed + 1`: the test set is binarized once
 *   from it ({@link evaluationInputs}), and the importance samples come from a generator split off it.
 *   Any two of them therefore read the same binarized test examples.
 * - `vaelab sample` draws z from `--seed`, by default the evaluation seed too.
 */
import { UserError } from '../engine/errors.js';
import { fixInputs, type FixedInputs } from '../eval/fixedInputs.js';
import type { RunConfig, RunData } from './experiment.js';
import { preprocessFor } from './trainer.js';
import type { Preprocess } from '../data/batches.js';
import type { Source } from '../data/dataset.js';

/** The seed of every evaluation of a run: `train.seed + 1` (see the module comment). */
export function evaluationSeed(config: Pick<RunConfig, 'train'>): number {
  return config.train.seed + 1;
}

/**
 * How an evaluation of a run turns `test`'s examples into model inputs: the run's preprocessing (one
 * binarization draw for dynamically binarized runs) from {@link evaluationSeed}. The final evaluation,
 * `vaelab eval` and {@link evaluationInputs} all use it, so they read the same inputs.
 */
export function evaluationPreprocessing(config: Pick<RunConfig, 'train'>, test: Source): { preprocess: Preprocess; seed: number } {
  return { preprocess: preprocessFor(config.train.binarize, test, config.train.dequantize ?? false), seed: evaluationSeed(config) };
}

/**
 * The first `n` test examples (default: the run's `eval.n`, else all) exactly as the run's evaluation
 * sees them: binarized once from {@link evaluationSeed} for dynamically binarized runs, as model inputs.
 */
export function evaluationInputs(run: { config: Pick<RunConfig, 'train' | 'eval'>; data: Pick<RunData, 'test'> }, n?: number): FixedInputs {
  const { config, data } = run;
  if (!data.test) throw new UserError(`the run's data set ${config.train.dataset} has no test part (set train.test to hold one out)`);
  const { preprocess, seed } = evaluationPreprocessing(config, data.test);
  return fixInputs(data.test, n ?? config.eval.n ?? data.test.n, preprocess, seed);
}
