/** The β-weighted ELBO: β-VAE, and KL annealing when β follows the warm-up schedule. */
import type { Tensor } from '../engine/tensor.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { negativeObjective, reduceTerms, stepOutput } from './reduce.js';

/**
 * L(q, θ, β) = E_q log p(x|z) − β · KL(q(z|x) ‖ p(z)) (seed 002, "β-VAE", Higgins et al. 2017; with β
 * ramped 0 → 1 it is "KL annealing", Bowman et al. 2016); loss = −L, `elbo` stays the β = 1 bound.
 *
 * @param beta scalar tensor (ObjectiveInputs.beta), fed each step.
 */
export function betaObjective(terms: ModelTerms, beta: Tensor): StepOutput {
  const r = reduceTerms(terms);
  return stepOutput(r, () => negativeObjective(r.reconstruction, r.kl, beta));
}
