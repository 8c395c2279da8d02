/**
 * Flags shared by the experiments' budgets: the smoke budget's tiny data and steps, and a helper
 * that picks an experiment's flags for a budget.
 */
import type { RunFlags } from '../train/flagConfig.js';
import type { Budget, ExperimentRun } from './experiment.js';

/**
 * The smoke budget: 256 training examples, 4 steps of 32, the evaluation on 64 test examples with
 * K = 4, no validation set, no checkpoints but the final one: seconds per run, to check the pipeline.
 */
export const SMOKE: RunFlags = {
  trainN: 256,
  batch: 32,
  maxSteps: 4,
  evalK: 4,
  evalN: 64,
  validation: 0,
  checkpointEvery: 0,
  report: false,
};

/** `flags` of the budget (smoke flags over the smoke entry, which defaults to the reduced one). */
export function pick(budget: Budget, flags: { readonly smoke?: RunFlags; readonly reduced: RunFlags; readonly paper: RunFlags }): RunFlags {
  if (budget === 'smoke') return { ...(flags.smoke ?? flags.reduced), ...SMOKE };
  return flags[budget];
}

/** Runs named by `variations`, each over `base`; the report flag stays false unless a variation sets it. */
export function runsOf(base: RunFlags, variations: Readonly<Record<string, RunFlags>>): ExperimentRun[] {
  return Object.entries(variations).map(([name, flags]) => ({ name, flags: { report: false, ...base, ...flags } }));
}
