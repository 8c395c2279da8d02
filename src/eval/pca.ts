/**
 * PCA and probabilistic PCA baselines at the VAE's latent size (seed 004 compares the VAE with them).
 * PCA with q components reconstructs x as m + U_q U_qᵀ (x − m); on the data it was fitted to, its
 * mean squared error per example is the sum of the discarded eigenvalues Σ_{i>q} λ_i of the (1/n)
 * covariance. The pPCA maximum-likelihood fit (Tipping & Bishop 1999, eqs. 7–8) has σ² = mean of the
 * discarded eigenvalues and C = W Wᵀ + σ² I, whose log density is, with y_i = u_iᵀ(x − m),
 *   log N(x; m, C) = −½ [D log 2π + Σ_{i≤q} log λ_i + (D − q) log σ² + ‖x − m‖²/σ² − Σ_{i≤q} (1/σ² − 1/λ_i) y_i²].
 * The covariance is accumulated with onnxruntime matrix products (60,000 × 784 in seconds); the
 * eigen-decomposition is ml-matrix's (tridiagonal QL: ~10 s for D = 784, where data/linalg.ts's
 * Jacobi solver, written for small pPCA checks, takes about a minute).
 */
import { input, matmul } from '../engine/ops.js';
import { GraphFunction } from '../engine/function.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A PCA fit: the mean, all eigenvalues (largest first) and the first q eigenvectors. */
export interface PcaFit {
  readonly dataSize: number;
  readonly q: number;
  readonly mean: Float64Array;
  readonly eigenvalues: Float64Array;
  /** The first q eigenvectors as rows, [q, D]. */
  readonly components: Float64Array;
}

/** Fits PCA with q components to `n` rows of `data` (row-major [n, D]). */
export async function fitPca(data: Float32Array, n: number, dataSize: number, q: number, threads?: number): Promise<PcaFit> {
  const D = dataSize;
  if (!(q >= 1 && q < D)) throw new RangeError(`fitPca: need 1 <= q < D, got q = ${q}, D = ${D}`);
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) mean[j] += data[i * D + j];
  for (let j = 0; j < D; j++) mean[j] /= n;
  const B = Math.min(1000, n);
  const xc = input('xc', [B, D]);
  const g = await GraphFunction.create({ inputs: [xc], outputs: { s: matmul(xc, xc, { transA: true }) }, name: 'pca-scatter' }, { threads });
  const buf = new Float32Array(B * D);
  const cov = new Float64Array(D * D);
  for (let s = 0; s < n; s += B) {
    const rows = Math.min(B, n - s);
    buf.fill(0); // padded rows are zero after centring: they add nothing
    for (let r = 0; r < rows; r++) for (let j = 0; j < D; j++) buf[r * D + j] = data[(s + r) * D + j] - mean[j];
    const part = (await g.run({ xc: buf })).s as Float32Array;
    for (let i = 0; i < D * D; i++) cov[i] += part[i];
  }
  for (let i = 0; i < D * D; i++) cov[i] /= n;
  const m = new Matrix(D, D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) m.set(i, j, cov[i * D + j]);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const ascending = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix; // columns, in the order of the ascending eigenvalues
  const eigenvalues = Float64Array.from(ascending).reverse();
  const components = new Float64Array(q * D);
  for (let k = 0; k < q; k++) for (let j = 0; j < D; j++) components[k * D + j] = V.get(j, D - 1 - k);
  return { dataSize: D, q, mean, eigenvalues, components };
}

/** Projections y = U_qᵀ (x − m) of row `i` and ‖x − m‖². */
function project(fit: PcaFit, data: ArrayLike<number>, i: number, y: Float64Array): number {
  const D = fit.dataSize;
  y.fill(0);
  let norm2 = 0;
  for (let j = 0; j < D; j++) {
    const e = data[i * D + j] - fit.mean[j];
    norm2 += e * e;
    for (let k = 0; k < fit.q; k++) y[k] += fit.components[k * D + j] * e;
  }
  return norm2;
}

/** PCA reconstruction error: mean over the n rows of ‖x − m − U_q U_qᵀ (x − m)‖² = ‖x − m‖² − ‖y‖². */
export function pcaReconstructionMse(fit: PcaFit, data: ArrayLike<number>, n: number): number {
  const y = new Float64Array(fit.q);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const norm2 = project(fit, data, i, y);
    let p = 0;
    for (let k = 0; k < fit.q; k++) p += y[k] * y[k];
    total += norm2 - p;
  }
  return total / n;
}

/** The exact pPCA (ML fit) average log-likelihood per example of n rows, in nats (Tipping & Bishop 1999). */
export function ppcaLogLikelihood(fit: PcaFit, data: ArrayLike<number>, n: number): number {
  const { q, dataSize: D, eigenvalues: l } = fit;
  let sigma2 = 0;
  for (let i = q; i < D; i++) sigma2 += l[i];
  sigma2 /= D - q;
  let logDet = (D - q) * Math.log(sigma2);
  for (let k = 0; k < q; k++) logDet += Math.log(l[k]);
  const y = new Float64Array(q);
  let quad = 0;
  for (let i = 0; i < n; i++) {
    const norm2 = project(fit, data, i, y);
    let s = norm2 / sigma2;
    for (let k = 0; k < q; k++) s -= (1 / sigma2 - 1 / l[k]) * y[k] * y[k];
    quad += s;
  }
  return -0.5 * (D * Math.log(2 * Math.PI) + logDet + quad / n);
}
