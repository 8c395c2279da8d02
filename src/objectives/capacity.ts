/** Controlled encoding capacity (Burgess et al. 2018, "Understanding disentangling in β-VAE"). */
import { abs, sub } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { ModelTerms, StepOutput } from '../models/types.js';
import { negativeObjective, reduceTerms, stepOutput } from './reduce.js';

/**
 * L = E_q log p(x|z) − γ · |KL(q(z|x) ‖ p(z)) − C| (seed 002, "Controlled encoding capacity"; Burgess
 * et al. 2018), C raised on a schedule ({@link capacityAt}) and fed as ObjectiveInputs.capacity; loss = −L.
 */
export function capacityObjective(terms: ModelTerms, gamma: number, capacity: Tensor): StepOutput {
  const r = reduceTerms(terms);
  return stepOutput(r, () => negativeObjective(r.reconstruction, abs(sub(r.kl, capacity)), gamma));
}
