/**
 * Reproductions of the seeds' tables and figures (`vaelab reproduce`): each experiment a sweep per
 * budget, its measurements, the seed's numbers beside vaelab's and a report.
 */
export {
  BUDGETS,
  type Budget,
  type Experiment,
  type Comparison,
  type Claim,
  type FigureReproduction,
  type ExperimentRun,
  type RunContext,
  type ExperimentContext,
  type Values,
} from './experiment.js';
export { EXPERIMENTS, findExperiment } from './registry.js';
export { reproduce, reproductionPlan, reproductionDir, reproductionSweep, type Reproduction, type ReproduceOptions } from './runner.js';
export { compareAll, compareOne, type ComparisonRow, type Verdict } from './compare.js';
export { listReproductions, reproductionsIndexHtml, type ReproductionListing } from './listing.js';
export { formatNumber } from './page.js';
