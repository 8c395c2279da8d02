/** The importance-weighted bound (Burda et al. 2016). */
import { add, neg, sub } from '../engine/ops.js';
import { logsumexp, mean } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { reduceTerms } from './reduce.js';

/** log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x), [K, B] (seed 002, IWAE). */
export const logWeights = (t: ModelTerms): Tensor => sub(add(t.logLikelihood, t.logPrior), t.logPosterior);

/** log (1/K) Σ_k exp(a_k) over axis 0 of [K, B] → [B]. */
export const logMeanExp = (a: Tensor): Tensor => sub(logsumexp(a, 0), Math.log(a.shape[0]));

/**
 * L_K = (1/B) Σ_b log (1/K) Σ_k w_kb, w = p(x, z_k)/q(z_k|x) (seed 002, "IWAE objective"; Burda et al. 2016);
 * loss = −L_K, `elbo` = L_K; reconstruction and KL are the plain sample means, for logs.
 */
export function iwaeObjective(terms: ModelTerms): StepOutput {
  const r = reduceTerms(terms);
  const bound = mean(logMeanExp(logWeights(terms)));
  return { loss: neg(bound), elbo: bound, reconstruction: r.reconstruction, kl: r.kl, klPerLatent: r.klPerLatent };
}
