/**
 * The aggregate posterior q(z) = (1/N) Σ_i q(z|x_i) (seed 000, "the marginal posterior ... as a
 * Gaussian mixture, one Gaussian for each data point"): pick a training example x_i uniformly, then
 * z = μ(x_i) + σ(x_i) ε. For the deterministic AE σ = 0 and the draws are the training codes themselves.
 */
import { Random } from '../../engine/random.js';
import type { Encoded } from '../encode.js';
import { trainingCodes } from './codes.js';
import type { LatentSampler, SamplerContext, SamplerOptions } from './sampler.js';

/** n draws from the mixture of the encoded examples' q(z|x), row-major [n, d]. */
export function sampleAggregate(codes: Encoded, n: number, rng: Random): Float32Array {
  const d = codes.d;
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const i = rng.int(codes.n);
    for (let j = 0; j < d; j++) out[r * d + j] = codes.mu[i * d + j] + Math.sqrt(codes.sigma2[i * d + j]) * rng.normal();
  }
  return out;
}

/** The `aggregate` sampler. */
export function aggregateSampler(ctx: SamplerContext, opts: SamplerOptions): LatentSampler {
  return {
    name: 'aggregate',
    description: 'z ~ q(z) = mean over training x of q(z|x): a training example, then z = μ(x) + σ(x) ε',
    sample: async (n, seed) => sampleAggregate(await trainingCodes(ctx, opts), n, new Random(seed)),
  };
}
