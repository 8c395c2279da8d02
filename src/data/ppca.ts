/**
 * Probabilistic PCA (Tipping & Bishop 1999, "Probabilistic principal component analysis", JRSS B):
 * `x = W z + mu + sigma * eps`, `z ~ N(0, I_q)`, `eps ~ N(0, I_d)`, so `x ~ N(mu, W W^T + sigma^2 I)`.
 * A linear VAE with a Gaussian decoder of this form should reach the pPCA maximum likelihood; this
 * file makes data with known parameters and computes the exact likelihood of any parameters; the
 * closed-form maximum-likelihood fit is `fitPpca` in eval/pca.ts (on top of its top-k PCA).
 */
import type { Random } from '../engine/random.js';
import { makeDataset, type Dataset } from './dataset.js';
import { inverseSpd } from './linalg.js';

/** pPCA parameters. Matrices are row-major Float64Arrays. */
export interface PpcaParams {
  /** Data dimension. */
  readonly d: number;
  /** Latent dimension. */
  readonly q: number;
  /** `d x q` loading matrix. */
  readonly W: Float64Array;
  /** Mean, length `d`. */
  readonly mu: Float64Array;
  /** Isotropic noise variance. */
  readonly sigma2: number;
}

/** Random parameters: `W` and `mu` with independent N(0, 1) entries. */
export function randomPpcaParams(d: number, q: number, sigma2: number, rng: Random): PpcaParams {
  const W = new Float64Array(d * q);
  const mu = new Float64Array(d);
  rng.fillNormal(W);
  rng.fillNormal(mu);
  return { d, q, W, mu, sigma2 };
}

/** `n` samples `x = W z + mu + sigma eps` as a `'real'` float32 dataset of shape `[d]`. */
export function samplePpca(params: PpcaParams, n: number, rng: Random, name = 'ppca'): Dataset {
  const { d, q, W, mu, sigma2 } = params;
  const sigma = Math.sqrt(sigma2);
  const data = new Float32Array(n * d);
  const z = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(z);
    for (let r = 0; r < d; r++) {
      let s = mu[r] + sigma * rng.normal();
      for (let k = 0; k < q; k++) s += W[r * q + k] * z[k];
      data[i * d + r] = s;
    }
  }
  return makeDataset({ name, shape: [d], n, range: 'real', data });
}

/** Sample mean and (1/n) covariance of `n` rows of length `d`. */
export function meanAndCovariance(data: ArrayLike<number>, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let r = 0; r < d; r++) mean[r] += data[i * d + r];
  for (let r = 0; r < d; r++) mean[r] /= n;
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) x[r] = data[i * d + r] - mean[r];
    for (let r = 0; r < d; r++) for (let c = r; c < d; c++) cov[r * d + c] += x[r] * x[c];
  }
  for (let r = 0; r < d; r++) {
    for (let c = r; c < d; c++) {
      cov[r * d + c] /= n;
      cov[c * d + r] = cov[r * d + c];
    }
  }
  return { mean, cov };
}

/** The model covariance `C = W W^T + sigma^2 I` (row-major `d x d`). */
export function ppcaCovariance(params: PpcaParams): Float64Array {
  const { d, q, W, sigma2 } = params;
  const c = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let s = 0; s < d; s++) {
      let v = r === s ? sigma2 : 0;
      for (let k = 0; k < q; k++) v += W[r * q + k] * W[s * q + k];
      c[r * d + s] = v;
    }
  }
  return c;
}

/**
 * The exact average log-likelihood per example, in nats, of `n` rows under `N(mu, W W^T + sigma^2 I)`:
 * `-(1/2) [d log(2 pi) + log|C| + tr(C^{-1} S_mu)]` with `S_mu = (1/n) sum (x - mu)(x - mu)^T`
 * (Tipping & Bishop 1999, eq. 4).
 */
export function ppcaLogLikelihood(data: ArrayLike<number>, n: number, params: PpcaParams): number {
  const { d, mu } = params;
  const { inverse, logDet } = inverseSpd(ppcaCovariance(params), d);
  const x = new Float64Array(d);
  let quad = 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) x[r] = data[i * d + r] - mu[r];
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += inverse[r * d + c] * x[c];
      quad += x[r] * s;
    }
  }
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + quad / n);
}
