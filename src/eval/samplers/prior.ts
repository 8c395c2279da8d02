/**
 * z ~ p(z): the model's own prior (N(0, I), a learned mixture, or for VampPrior runs the pseudo-input
 * mixture (1/K) Σ_k q(z|u_k), Tomczak & Welling 2018). For the deterministic AE there is no prior and
 * these are N(0, I) draws, the naive generation seed 000 shows failing.
 */
import { Random } from '../../engine/random.js';
import { UserError } from '../../engine/errors.js';
import type { LatentVariableModel } from '../../models/types.js';
import { ModelGraph } from '../graphs.js';
import { drawNoise, noiseInputs } from '../../models/noise.js';
import type { LatentSampler, SamplerContext } from './sampler.js';

async function priorDraws(model: LatentVariableModel, n: number, seed: number, threads?: number): Promise<Float32Array> {
  const specs = model.priorNoise(n);
  const noise = noiseInputs(specs);
  const g = await ModelGraph.compile(Object.values(noise), { z: model.samplePrior(noise, n) }, specs, threads);
  return (await g.run(drawNoise(specs, new Random(seed)))).z;
}

/** The `prior` sampler. */
export function priorSampler(ctx: SamplerContext): LatentSampler {
  return {
    name: 'prior',
    description: ctx.model.deterministic
      ? 'z ~ N(0, I) (the AE has no prior: the naive generation of seed 000)'
      : `z ~ p(z), the model's ${ctx.prior} prior`,
    sample: (n, seed) => priorDraws(ctx.model, n, seed, ctx.threads),
  };
}

/** The `pseudo-inputs` sampler: VampPrior runs only. */
export function pseudoInputSampler(ctx: SamplerContext): LatentSampler {
  if (ctx.prior !== 'vampprior')
    throw new UserError(
      `sampler 'pseudo-inputs' draws from a VampPrior's pseudo-input mixture; this run's prior is '${ctx.prior}' (use prior, aggregate, gmm or two-stage)`,
    );
  return {
    name: 'pseudo-inputs',
    description: 'z ~ (1/K) Σ_k q(z|u_k), the VampPrior mixture over its learned pseudo-inputs u_k',
    sample: (n, seed) => priorDraws(ctx.model, n, seed, ctx.threads),
  };
}
