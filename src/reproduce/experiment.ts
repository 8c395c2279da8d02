/**
 * What one reproduction is: the sweep it runs at each budget, what it measures on the finished runs,
 * the seed's numbers (each with its source) and the distance vaelab's number is expected to keep from
 * each at each budget, with the reason where it may not. Each experiment is one file in
 * `experiments/`; `registry.ts` lists them.
 */
import type { RunFlags } from '../train/flagConfig.js';
import type { LoadedRun, RunSummary } from '../train/experiment.js';

/** How much compute a reproduction spends. */
export const BUDGETS = ['smoke', 'reduced', 'paper'] as const;
/**
 * `smoke`: seconds per run (a few hundred examples, a few steps), to check the pipeline;
 * `reduced`: about an hour on two cores; `paper`: the seed's own settings.
 */
export type Budget = (typeof BUDGETS)[number];

/** One run of an experiment's sweep: its name (the run folder) and flags. */
export interface ExperimentRun {
  readonly name: string;
  readonly flags: RunFlags;
}

/** The numbers a reproduction measured, by key (`<run>.<quantity>`, or an experiment-wide key). */
export type Values = Readonly<Record<string, number | null>>;

/** A finished run as an experiment's measurement sees it. */
export interface RunContext {
  readonly name: string;
  readonly dir: string;
  readonly summary: RunSummary;
  readonly budget: Budget;
  /** The run's config, data and trained model (loaded once, on first call). */
  load(): Promise<LoadedRun>;
  /** onnxruntime threads for measurements. */
  readonly threads: number;
}

/** What an experiment's experiment-wide measurement sees. */
export interface ExperimentContext {
  readonly budget: Budget;
  /** The reproduction's folder: figures written here are shown by the report. */
  readonly outDir: string;
  /** The finished runs by name. */
  readonly runs: ReadonlyMap<string, RunContext>;
  readonly threads: number;
  readonly log: (line: string) => void;
}

/** A claim of the seed that has no number: what vaelab's value must satisfy for it to hold. */
export interface Claim {
  /** The claim in words, as the seed states it. */
  readonly text: string;
  readonly holds: (value: number, values: Values) => boolean;
}

/**
 * One line of the seed-vs-vaelab table. Either the seed gives a number (`seed`), or vaelab computes
 * the reference in closed form (`seedKey`, e.g. pPCA's exact likelihood), or the seed states a claim.
 */
export interface Comparison {
  /** What is compared, with units. */
  readonly quantity: string;
  /** The key of vaelab's value in {@link Values}. */
  readonly key: string;
  /** The seed's number. */
  readonly seed?: number;
  /** Where a reference computed by vaelab sits in {@link Values}. */
  readonly seedKey?: string;
  readonly claim?: Claim;
  /** Where the reference stands: seed file, table or figure, row and column (or the paper it quotes). */
  readonly source: string;
  /** Largest |vaelab − seed| expected at each budget; a budget left out expects nothing. */
  readonly tolerance?: Partial<Record<Budget, number>>;
  /** Budgets at which a claim is expected to hold (default reduced and paper). */
  readonly claimBudgets?: readonly Budget[];
  /** Why vaelab's number may lie outside at reduced budgets (the report prints it where it does). */
  readonly why: string;
}

/** A figure of the seed and the vaelab picture that regenerates it. */
export interface FigureReproduction {
  /** The seed's figure: seed, figure number or slide title. */
  readonly source: string;
  /** What the seed's figure shows. */
  readonly shows: string;
  /** vaelab's picture: a run's report file (`run` set) or a file of the reproduction folder. */
  readonly run?: string;
  readonly file: string;
  readonly caption: string;
}

/** One reproduction: see the module comment. */
export interface Experiment {
  /** The name given to `vaelab reproduce`. */
  readonly name: string;
  /** The seeds it reproduces ('000', '002', ...). */
  readonly seeds: readonly string[];
  /** What it regenerates, one line. */
  readonly regenerates: string;
  /** The runs of its sweep at `budget`. */
  runs(budget: Budget): ExperimentRun[];
  /** What each budget is, and why the numbers differ from the seed's at it. */
  readonly budgets: Readonly<Record<Budget, string>>;
  /** Numbers measured on each finished run beyond its summary (keys without the run prefix). */
  measureRun?(run: RunContext): Promise<Record<string, number | null>>;
  /** Experiment-wide numbers and figures (baselines that need no run, pictures across runs). */
  measure?(ctx: ExperimentContext): Promise<Record<string, number | null>>;
  readonly comparisons: readonly Comparison[];
  readonly figures: readonly FigureReproduction[];
}
