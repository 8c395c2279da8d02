/**
 * ELBO surgery (Hoffman & Johnson 2016; seed 002): over N examples with Gaussian posteriors
 * q(z|x_i) = N(μ_i, diag σ²_i) and the prior p(z) = N(0, I), the average KL splits into
 *   (1/N) Σ_i KL(q(z|x_i) ‖ p(z)) = I_q[i, z] + KL(q(z) ‖ p(z)),   q(z) = (1/N) Σ_j q(z|x_j),
 * the mutual information between the example's index and its code (0 ≤ I ≤ log N) and the
 * marginal KL of the aggregate posterior to the prior.
 *
 * Written here rather than taken from a library: it is a short Monte Carlo sum over the encoded
 * test set (no npm package computes it from μ and σ²).
 */
import { Random } from '../engine/random.js';

/** The three terms of the decomposition, nats per example. */
export interface ElboSurgery {
  /** (1/N) Σ_i KL(q(z|x_i) ‖ N(0, I)), closed form. */
  readonly avgKl: number;
  /** I_q[i, z] = E_{q(i,z)} log q(i|z) + log N, estimated by Monte Carlo. */
  readonly mutualInformation: number;
  /** KL(q(z) ‖ p(z)) = E_{q(z)} [log q(z) − log p(z)], estimated by Monte Carlo. */
  readonly marginalKl: number;
  /** log N, the largest the mutual information can be with N examples. */
  readonly logN: number;
  readonly n: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The ELBO-surgery terms of posteriors `mu`, `sigma2` (row-major [n, d]), with `samples` draws of
 * z ~ q(z|x_i) per example (seeded). Cost n² · d · samples.
 */
export function elboSurgery(mu: Float32Array, sigma2: Float32Array, n: number, d: number, opts: { samples?: number; seed?: number } = {}): ElboSurgery {
  const S = opts.samples ?? 1;
  const rng = new Random(opts.seed ?? 0);
  const logN = Math.log(n);
  // Per example j: Σ_k log σ²_jk (the normaliser of log q(z|x_j)) and 1/σ².
  const logDet = new Float64Array(n);
  const inv = new Float64Array(n * d);
  let avgKl = 0;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < d; k++) {
      const m = mu[j * d + k];
      const s2 = sigma2[j * d + k];
      logDet[j] += Math.log(s2);
      inv[j * d + k] = 1 / s2;
      avgKl += 0.5 * (m * m + s2 - 1 - Math.log(s2)); // KL(N(μ, σ²) ‖ N(0, 1)), seed 001
    }
  }
  avgKl /= n;
  const z = new Float64Array(d);
  const a = new Float64Array(n);
  let mi = 0;
  let marginal = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < S; s++) {
      let logP = -0.5 * d * LOG_2PI;
      for (let k = 0; k < d; k++) {
        z[k] = mu[i * d + k] + Math.sqrt(sigma2[i * d + k]) * rng.normal();
        logP -= 0.5 * z[k] * z[k];
      }
      // a_j = log q(z|x_j) = −½ [Σ_k (z_k − μ_jk)² / σ²_jk + Σ_k log σ²_jk + d log 2π]
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let q = 0;
        for (let k = 0; k < d; k++) {
          const e = z[k] - mu[j * d + k];
          q += e * e * inv[j * d + k];
        }
        a[j] = -0.5 * (q + logDet[j] + d * LOG_2PI);
        if (a[j] > max) max = a[j];
      }
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(a[j] - max);
      const logQz = max + Math.log(sum) - logN; // log q(z) = log (1/N) Σ_j q(z|x_j)
      mi += a[i] - logQz; // log q(i|z) − log q(i) = log q(z|x_i) − log q(z)
      marginal += logQz - logP;
    }
  }
  return { avgKl, mutualInformation: mi / (n * S), marginalKl: marginal / (n * S), logN, n };
}
