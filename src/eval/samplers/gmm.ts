/**
 * The `gmm` sampler (Ghosh et al. 2020, "ex-post density estimation"): a mixture of K Gaussians fitted
 * by EM to the training posterior means μ(x), stored in the run directory as
 * `samplers/gmm-<K>-<covariance>-<n>-<seed>.json` and reused; z is drawn from the mixture.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../engine/random.js';
import { trainingCodes } from './codes.js';
import { fitGaussianMixture, sampleGaussianMixture, type GaussianMixture } from './gaussianMixture.js';
import type { LatentSampler, SamplerContext, SamplerOptions } from './sampler.js';

/** Loads the run's stored mixture with these settings, or fits it on the training codes and stores it. */
export async function runMixture(ctx: SamplerContext, opts: SamplerOptions): Promise<GaussianMixture> {
  const k = opts.components ?? 10;
  const covariance = opts.covariance ?? 'full';
  const seed = opts.fitSeed ?? 0;
  const fitN = Math.min(opts.fitN ?? 10000, ctx.train.n);
  const file = ctx.runDir ? join(ctx.runDir, 'samplers', `gmm-${k}-${covariance}-${fitN}-${seed}.json`) : null;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GaussianMixture;
  const codes = await trainingCodes(ctx, opts);
  const t0 = performance.now();
  const g = fitGaussianMixture(codes.mu, codes.d, { k, covariance, seed });
  ctx.log?.(
    `fitted a ${k}-component ${covariance}-covariance Gaussian mixture to ${codes.n} posterior means in ${((performance.now() - t0) / 1000).toFixed(1)} s (${g.iterations} EM iterations, mean log-likelihood ${g.logLikelihood.toFixed(2)} nats)`,
  );
  if (file) {
    mkdirSync(join(ctx.runDir!, 'samplers'), { recursive: true });
    writeFileSync(file, JSON.stringify(g) + '\n');
  }
  return g;
}

/** The `gmm` sampler. */
export function gmmSampler(ctx: SamplerContext, opts: SamplerOptions): LatentSampler {
  const k = opts.components ?? 10;
  return {
    name: 'gmm',
    description: `z ~ a ${k}-component ${opts.covariance ?? 'full'}-covariance Gaussian mixture fitted by EM to the training posterior means (Ghosh et al. 2020)`,
    sample: async (n, seed) => sampleGaussianMixture(await runMixture(ctx, opts), n, new Random(seed)),
  };
}
