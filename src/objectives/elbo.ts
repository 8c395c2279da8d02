/** The evidence lower bound. */
import { neg } from '../engine/ops.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { reduceTerms, stepOutput } from './reduce.js';

/**
 * ELBO L(q, θ) = E_q(z|x) log p(x|z) − KL(q(z|x) ‖ p(z)) (seed 002, "VAE objective"; Kingma & Welling 2014);
 * loss = −L. With K samples the expectation is their mean.
 */
export function elboObjective(terms: ModelTerms): StepOutput {
  return stepOutput(reduceTerms(terms), neg);
}
