/** Free bits (Kingma et al. 2016, "Improving variational inference with inverse autoregressive flow"). */
import { maximum, reshape, sum } from '../engine/ops.js';
import { mean } from '../engine/composite.js';
import { ConfigError } from '../models/config.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { negativeObjective, reduceTerms, stepOutput } from './reduce.js';

/**
 * L̂ = E_q log p(x|z) − Σ_{j=1..G} max(λ, KL_j) with KL_j the KL of latent group j averaged over the
 * batch (seed 002, "Free bits"; Kingma et al. 2016, eq. 15); loss = −L̂. KL_j is the closed form where one
 * exists, else the Monte Carlo E_q[log q − log p] of the group (IAF, mixture priors, HVAE), as Kingma
 * et al. use it with IAF. The P parts (latents, or layers for 'hvae': see {@link ModelTerms.logRatioParts})
 * are split into G contiguous groups of P/G; G = 1 bounds the whole KL and works for every model.
 */
export function freeBitsObjective(terms: ModelTerms, lambda: number, groups: number): StepOutput {
  const r = reduceTerms(terms);
  if (!Number.isInteger(groups) || groups < 1) throw new ConfigError(`free bits: groups must be a positive integer, got ${groups}`);
  let penalty;
  if (groups === 1) penalty = maximum(r.kl, lambda);
  else {
    const parts = r.klPerLatent ?? (terms.logRatioParts ? mean(terms.logRatioParts, [0, 1]) : null); // [P]
    if (!parts) {
      throw new ConfigError(
        `free bits: ${groups} groups need a KL that splits over the latents, but this prior does not factorise (mixture or VampPrior): use 1 group`,
      );
    }
    const p = parts.shape[0];
    if (p % groups !== 0)
      throw new ConfigError(`free bits: groups must divide the ${p} KL parts (latents, or layers for 'hvae'), got ${groups}`);
    penalty = sum(maximum(sum(reshape(parts, [groups, p / groups]), 1), lambda));
  }
  return stepOutput(r, () => negativeObjective(r.reconstruction, penalty));
}
