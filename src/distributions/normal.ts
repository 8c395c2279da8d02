/**
 * Gaussians with diagonal covariance, the posterior q(z|x) and prior p(z) of most VAEs.
 * Parameterised by mean μ and log-variance log σ², the form encoders output.
 */
import { add, exp, mul, neg, sub, sum } from '../engine/ops.js';
import { square } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';

const LOG_2PI = Math.log(2 * Math.PI);

export class DiagonalGaussian {
  /**
   * @param mu mean μ, [..., d].
   * @param logVar log-variance log σ², same shape as μ.
   */
  constructor(
    readonly mu: Tensor,
    readonly logVar: Tensor,
  ) {}

  /** σ = exp(½ log σ²). */
  get std(): Tensor {
    return exp(mul(this.logVar, 0.5));
  }

  /** The reparameterisation trick (Kingma & Welling 2014; seed 001): z = μ + σ ⊙ ε with ε ~ N(0, I) fed in. */
  sample(eps: Tensor): Tensor {
    return add(this.mu, mul(this.std, eps));
  }

  /**
   * Elementwise log N(x; μ, σ²) = −½ (log 2π + log σ² + (x − μ)² / σ²), not summed, constants included.
   */
  logDensity(x: Tensor): Tensor {
    const mahalanobis = mul(square(sub(x, this.mu)), exp(neg(this.logVar)));
    return mul(add(add(mahalanobis, this.logVar), LOG_2PI), -0.5);
  }

  /** log q(x) summed over the last axis. */
  logProb(x: Tensor): Tensor {
    return sum(this.logDensity(x), -1);
  }

  /**
   * KL(N(μ, σ²) ‖ N(0, 1)) per dimension, in closed form (seed 001's derivation):
   * ½ (μ² + σ² − 1 − log σ²). Not summed, so callers can report KL per latent and apply free bits.
   */
  klToStandardNormal(): Tensor {
    return mul(sub(add(square(this.mu), exp(this.logVar)), add(this.logVar, 1)), 0.5);
  }

  /**
   * KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) per dimension:
   * ½ (log σ₂² − log σ₁² + (σ₁² + (μ₁ − μ₂)²) / σ₂² − 1).
   */
  kl(other: DiagonalGaussian): Tensor {
    const ratio = mul(add(exp(this.logVar), square(sub(this.mu, other.mu))), exp(neg(other.logVar)));
    return mul(sub(add(sub(other.logVar, this.logVar), ratio), 1), 0.5);
  }
}

/** Elementwise log N(x; 0, 1) = −½ (log 2π + x²). */
export function standardNormalLogDensity(x: Tensor): Tensor {
  return mul(add(square(x), LOG_2PI), -0.5);
}
