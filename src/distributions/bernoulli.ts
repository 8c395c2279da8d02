/** Bernoulli likelihood for binary pixels, parameterised by logits so that it is stable for any value. */
import { mul, softplus, softplusSum, sub, sum } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';

/**
 * Elementwise log Bernoulli(x; σ(ℓ)) = x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)) = x ℓ − softplus(ℓ),
 * i.e. minus the binary cross-entropy with logits. Valid for x in [0, 1] (grey levels give the
 * cross-entropy, which is not a normalised density for non-binary x: seed 004's support problem).
 */
export function bernoulliLogDensity(x: Tensor, logits: Tensor): Tensor {
  return sub(mul(x, logits), softplus(logits));
}

/** log p(x | ℓ) summed over the last axis: Σᵢ xᵢℓᵢ − Σᵢ softplus(ℓᵢ), the second sum as one `softplusSum`. */
export function bernoulliLogProb(x: Tensor, logits: Tensor): Tensor {
  return sub(sum(mul(x, logits), -1), softplusSum(logits));
}
