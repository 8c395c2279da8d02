/** Batch means of a model's terms, shared by every objective. */
import { mul, neg, sub, sum } from '../engine/ops.js';
import { mean } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { ModelTerms, StepOutput } from '../models/types.js';

/** The reconstruction term, the KL (closed form when the model gives it per latent, else Monte Carlo) and KL per latent. */
export interface ReducedTerms {
  /** (1/KB) Σ_{k,b} log p(x_b|z_kb). */
  reconstruction: Tensor;
  /** (1/B) Σ_b Σ_j KL_bj, or (1/KB) Σ (log q(z|x) − log p(z)). */
  kl: Tensor;
  /** (1/B) Σ_b KL_bj, [d], or null. */
  klPerLatent: Tensor | null;
}

/** Averages the terms over samples and batch (seed 002: L = (1/n) Σ_i [E_q log p(x_i|z_i) − KL(q(z_i|x_i) ‖ p(z_i))]). */
export function reduceTerms(t: ModelTerms): ReducedTerms {
  const reconstruction = mean(t.logLikelihood);
  if (t.klPerLatent) {
    const klPerLatent = mean(t.klPerLatent, 0);
    return { reconstruction, kl: sum(klPerLatent), klPerLatent };
  }
  return { reconstruction, kl: mean(sub(t.logPosterior, t.logPrior)), klPerLatent: null };
}

/** loss = −(reconstruction − weight · penalty). */
export const negativeObjective = (reconstruction: Tensor, penalty: Tensor, weight?: Tensor | number): Tensor =>
  neg(sub(reconstruction, weight === undefined ? penalty : mul(weight, penalty)));

/**
 * The step record every objective returns: its `loss` (built from the ELBO where it needs it), and beside
 * it the ELBO itself (the β = 1 bound, whatever the objective) and its terms, for logs and evaluation.
 */
export function stepOutput(r: ReducedTerms, loss: (elbo: Tensor) => Tensor): StepOutput {
  const elbo = sub(r.reconstruction, r.kl);
  return { loss: loss(elbo), elbo, reconstruction: r.reconstruction, kl: r.kl, klPerLatent: r.klPerLatent };
}
