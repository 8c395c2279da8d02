/** Free bits (Kingma et al. 2016, "Improving variational inference with inverse autoregressive flow"). */
import { maximum, reshape, sub, sum } from '../engine/ops.js';
import { ConfigError } from '../models/config.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { negativeObjective, reduceTerms } from './reduce.js';

/**
 * L̂ = E_q log p(x|z) − Σ_{j=1..G} max(λ, KL_j) with KL_j the KL of latent group j averaged over the
 * batch (seed 002, "Free bits"; Kingma et al. 2016, eq. 15); loss = −L̂. The d latents are split into
 * G contiguous groups of d/G. Needs the per-latent KL in closed form (a standard normal prior, no flow).
 */
export function freeBitsObjective(terms: ModelTerms, lambda: number, groups: number): StepOutput {
  const r = reduceTerms(terms);
  if (!r.klPerLatent) {
    throw new ConfigError('free bits: needs the KL per latent in closed form (prior \'standard\', no flow, not \'hvae\')');
  }
  const d = r.klPerLatent.shape[0];
  if (!Number.isInteger(groups) || groups < 1 || d % groups !== 0) {
    throw new ConfigError(`free bits: groups must divide the latent size ${d}, got ${groups}`);
  }
  const klGroups = sum(reshape(r.klPerLatent, [groups, d / groups]), 1); // [G]
  return {
    loss: negativeObjective(r.reconstruction, sum(maximum(klGroups, lambda))),
    elbo: sub(r.reconstruction, r.kl),
    reconstruction: r.reconstruction,
    kl: r.kl,
    klPerLatent: r.klPerLatent,
  };
}
