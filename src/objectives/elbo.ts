/** The evidence lower bound. */
import { neg, sub } from '../engine/ops.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { reduceTerms } from './reduce.js';

/**
 * ELBO L(q, θ) = E_q(z|x) log p(x|z) − KL(q(z|x) ‖ p(z)) (seed 002, "VAE objective"; Kingma & Welling 2014);
 * loss = −L. With K samples the expectation is their mean.
 */
export function elboObjective(terms: ModelTerms): StepOutput {
  const r = reduceTerms(terms);
  const elbo = sub(r.reconstruction, r.kl);
  return { loss: neg(elbo), elbo, reconstruction: r.reconstruction, kl: r.kl, klPerLatent: r.klPerLatent };
}
