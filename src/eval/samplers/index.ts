/** The latent samplers by name (a registry, STYLE 6) and sampling images through them. */
import { aggregateSampler } from './aggregate.js';
import { gmmSampler } from './gmm.js';
import { priorSampler, pseudoInputSampler } from './prior.js';
import type { LatentSampler, SamplerContext, SamplerName, SamplerOptions } from './sampler.js';
import { twoStageSampler } from './twoStage.js';

export * from './sampler.js';
export {
  fitGaussianMixture,
  sampleGaussianMixture,
  mixtureLogLikelihood,
  type GaussianMixture,
  type CovarianceKind,
} from './gaussianMixture.js';
export { trainSecondStage, sampleSecondStage, type SecondStage } from './twoStage.js';

const SAMPLERS: { readonly [S in SamplerName]: (ctx: SamplerContext, opts: SamplerOptions) => LatentSampler } = {
  prior: (ctx) => priorSampler(ctx),
  aggregate: aggregateSampler,
  gmm: gmmSampler,
  'two-stage': twoStageSampler,
  'pseudo-inputs': (ctx) => pseudoInputSampler(ctx),
};

/** The sampler `name` for the model of `ctx` (fits happen lazily, on the first draw). */
export function createSampler(name: SamplerName, ctx: SamplerContext, opts: SamplerOptions = {}): LatentSampler {
  return SAMPLERS[name](ctx, opts);
}

/** The samplers that apply to a run: all but `pseudo-inputs`, which needs a VampPrior. */
export function applicableSamplers(prior: string): SamplerName[] {
  return (['prior', 'aggregate', 'gmm', 'two-stage', 'pseudo-inputs'] as const).filter(
    (s) => s !== 'pseudo-inputs' || prior === 'vampprior',
  );
}
