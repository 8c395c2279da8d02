/** Generation quality of a trained run: every sampler asked for, measured against the run's test images. */
import { UserError } from '../../engine/errors.js';
import type { Source } from '../../data/dataset.js';
import { createSampler, runSamplerContext, type RunForSampling, type SamplerName, type SamplerOptions } from '../samplers/index.js';
import { featureSpace, measureSampler, reference, type FeatureSpace, type GenerationResult, type Reference } from './measure.js';

/** A run as {@link measureRunGeneration} reads it (train/'s LoadedRun fits). */
export interface RunForGeneration extends RunForSampling {
  readonly config: RunForSampling['config'] & { readonly train: { readonly dataset: string; readonly test?: number } };
  readonly data: RunForSampling['data'] & { readonly test?: Source };
}

/** Options of {@link measureRunGeneration}. */
export interface RunGenerationOptions extends SamplerOptions {
  /** Samples per sampler, and test images compared with them (default 2,000). */
  readonly n?: number;
  /** Seed of the samples (default 0). */
  readonly seed?: number;
  readonly threads?: number;
  readonly cacheRoot?: string;
  /** Passes of the feature classifier over the training set when it is not cached (default 4). */
  readonly classifierEpochs?: number;
  readonly log?: (line: string) => void;
}

/** The numbers of each sampler, their decoded samples (E[x|z], row-major [n, D]) and the feature space used. */
export interface RunGeneration {
  readonly results: GenerationResult[];
  readonly images: Float32Array[];
  readonly space: FeatureSpace;
  readonly reference: Reference;
}

/** Measures the samples of each of `samplers` for the run in `runDir` (fits are stored there). */
export async function measureRunGeneration(
  run: RunForGeneration,
  runDir: string,
  samplers: readonly SamplerName[],
  opts: RunGenerationOptions = {},
): Promise<RunGeneration> {
  const test = run.data.test;
  if (!test)
    throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part to compare samples with (train with --test N)`);
  const space = await featureSpace(run.model, {
    dataset: run.config.train.dataset,
    test: run.config.train.test || undefined,
    threads: opts.threads,
    cacheRoot: opts.cacheRoot,
    classifierEpochs: opts.classifierEpochs,
    log: opts.log,
  });
  opts.log?.(space.note);
  const ref = await reference(space, test, opts.n ?? 2000);
  const ctx = runSamplerContext(run, runDir, opts);
  const results: GenerationResult[] = [];
  const images: Float32Array[] = [];
  for (const name of samplers) {
    const m = await measureSampler(run.model, createSampler(name, ctx, opts), space, ref, { seed: opts.seed, threads: opts.threads });
    results.push(m.result);
    images.push(m.images);
  }
  return { results, images, space, reference: ref };
}
