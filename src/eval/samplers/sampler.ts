/**
 * Latent samplers: where the z that the decoder turns into samples come from. Seed 000 argues that
 * the KL term matches only the first two moments of the aggregate posterior q(z) = Σ_x q(z|x) to
 * N(0, I), so prior draws can land where q(z) has no mass; the other samplers draw from q(z) itself
 * or from a fit of it (Ghosh et al. 2020; Dai & Wipf 2019), and work for the deterministic AE too.
 */
import type { Source } from '../../data/dataset.js';
import type { Preprocess } from '../../data/batches.js';
import type { LatentVariableModel } from '../../models/types.js';
import type { Encoded } from '../encode.js';
import type { CovarianceKind } from './gaussianMixture.js';

/** The samplers by name. */
export const SAMPLER_NAMES = ['prior', 'aggregate', 'gmm', 'two-stage', 'pseudo-inputs'] as const;
/** A sampler's name. */
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Draws latent points z for the model's decoder. */
export interface LatentSampler {
  readonly name: SamplerName;
  /** One line saying what the draws are, for captions and logs. */
  readonly description: string;
  /** n draws z, row-major [n, d]; the same seed gives the same draws. */
  sample(n: number, seed: number): Promise<Float32Array>;
}

/** What a sampler may need: the model, its training data (to encode) and where to store a fit. */
export interface SamplerContext {
  readonly model: LatentVariableModel;
  /** The run's prior kind (`pseudo-inputs` needs 'vampprior'). */
  readonly prior: string;
  /** Training examples and how the run preprocesses them. */
  readonly train: Source;
  readonly preprocess: Preprocess;
  /** The run directory: fitted samplers are stored under its `samplers/` and reused. */
  readonly runDir?: string;
  readonly threads?: number;
  readonly log?: (line: string) => void;
  /** The encoded training examples, computed once on first use (see {@link trainingCodes}). */
  codes?: Promise<Encoded>;
}

/** Options of the fitted samplers. */
export interface SamplerOptions {
  /** Training examples encoded for `aggregate`, `gmm` and `two-stage` (default 10,000). */
  readonly fitN?: number;
  /** Mixture components of `gmm` (default 10). */
  readonly components?: number;
  /** Covariances of `gmm` (default 'full'). */
  readonly covariance?: CovarianceKind;
  /** Seed of the fits (EM start, second-stage weights; default 0). */
  readonly fitSeed?: number;
  /** Passes of the second-stage VAE over the codes (default 30). */
  readonly twoStageEpochs?: number;
}

/** The parts of a loaded run (train/'s LoadedRun) that samplers read. */
export interface RunForSampling {
  readonly model: LatentVariableModel;
  readonly config: { readonly model: { readonly prior: string } };
  readonly data: { readonly train: Source; readonly preprocess: Preprocess };
}

/** The sampler context of a loaded run in `runDir`. */
export function runSamplerContext(
  run: RunForSampling,
  runDir: string,
  opts: { threads?: number; log?: (line: string) => void } = {},
): SamplerContext {
  return {
    model: run.model,
    prior: run.config.model.prior,
    train: run.data.train,
    preprocess: run.data.preprocess,
    runDir,
    threads: opts.threads,
    log: opts.log,
  };
}
