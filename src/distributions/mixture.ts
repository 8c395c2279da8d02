/** Mixtures of diagonal Gaussians, the density of the MoG prior and of the VampPrior (seed 002). */
import { add, reshape, sum } from '../engine/ops.js';
import { logSoftmax, logsumexp } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian } from './normal.js';

/**
 * log Σ_c π_c N(z; μ_c, σ_c²) computed as logsumexp_c (log π_c + Σ_j log N(z_j; μ_cj, σ_cj²)) (seed 002, MoG prior).
 *
 * @param z points [..., d].
 * @param mu component means [C, d]; `logVar` likewise.
 * @param logWeights unnormalised log weights [C] (softmax-normalised here), or null for 1/C each.
 * @returns [...].
 */
export function mixtureLogProb(z: Tensor, mu: Tensor, logVar: Tensor, logWeights: Tensor | null): Tensor {
  const [c, d] = mu.shape;
  const zc = reshape(z, [...z.shape.slice(0, -1), 1, d]);
  const perComponent = sum(new DiagonalGaussian(mu, logVar).logDensity(zc), -1); // [..., C]
  const logPi = logWeights ? logSoftmax(logWeights) : null;
  const joint = logPi ? add(perComponent, logPi) : add(perComponent, -Math.log(c));
  return logsumexp(joint, -1);
}
