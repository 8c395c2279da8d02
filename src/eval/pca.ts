/**
 * Top-k PCA, and the probabilistic PCA built on it: the one PCA of vaelab (the evaluation baselines of
 * seed 004, the disentanglement baseline of Higgins et al. 2017 on 4,096-pixel dSprites, and the lossy
 * coding comparison). With S the (1/n) covariance of the rows and λ₁ ≥ … ≥ λ_D its eigenvalues:
 * - PCA with q components reconstructs x as m + U_q U_qᵀ (x − m); on the data it was fitted to, its
 *   mean squared error per example is Σ_{i>q} λ_i = tr S − Σ_{i≤q} λ_i, so only the top q are needed.
 * - The pPCA maximum-likelihood fit (Tipping & Bishop 1999, eqs. 7–8) has σ² = (tr S − Σ_{i≤q} λ_i)/(D − q),
 *   W = U_q (Λ_q − σ² I)^{1/2}, and, with y_i = u_iᵀ(x − m),
 *   log N(x; m, C) = −½ [D log 2π + Σ_{i≤q} log λ_i + (D − q) log σ² + ‖x − m‖²/σ² − Σ_{i≤q} (1/σ² − 1/λ_i) y_i²].
 *
 * Written here rather than taken from npm: `ml-pca` forms the D × D covariance on nested arrays and
 * decomposes all of it (minutes for D = 4,096), where only the top q directions are wanted. This is
 * subspace iteration with Rayleigh–Ritz (Golub & Van Loan §8.2.4; Halko, Martinsson & Tropp 2011,
 * Alg. 4.4) on r = q + oversample columns: each iteration is one pass of S·Q = (1/n) X_cᵀ(X_c Q) over the
 * rows as onnxruntime matrix products, then a small r × r eigenproblem (ml-matrix); it stops when every
 * Ritz pair's residual ‖S u − λ u‖ is below `tolerance`·λ₁.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { GraphFunction } from '../engine/function.js';
import { input, matmul, sub } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import type { PpcaParams } from '../data/ppca.js';

/** A top-q PCA fit. */
export interface PcaFit {
  readonly dataSize: number;
  readonly q: number;
  readonly mean: Float64Array;
  /** The top q eigenvalues λ₁ ≥ … ≥ λ_q of the (1/n) covariance: the variance along each component. */
  readonly variances: Float64Array;
  /** tr S = Σ_i λ_i, the total variance. */
  readonly totalVariance: number;
  /** The top q eigenvectors as rows, [q, D]. */
  readonly components: Float64Array;
  /** Subspace iterations run (one pass over the data each). */
  readonly iterations: number;
}

/** Options of {@link fitPca}. */
export interface PcaOptions {
  /** onnxruntime threads of the matrix products. */
  readonly threads?: number;
  /** Extra columns of the iterated subspace (default 10): convergence goes as (λ_{q+oversample+1}/λ_q)^iterations. */
  readonly oversample?: number;
  /** Stop when every residual ‖S u_j − λ_j u_j‖ ≤ tolerance · λ₁ (default 1e-5, about float32's accuracy). */
  readonly tolerance?: number;
  /** At most this many iterations (default 300). */
  readonly maxIterations?: number;
  /** Seed of the random starting subspace (default 0). */
  readonly seed?: number;
}

/** Orthonormalises the columns of `a` [D, r] (row-major) in place (modified Gram–Schmidt). */
export function orthonormalizeColumns(a: Float64Array, D: number, r: number): void {
  for (let c = 0; c < r; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += a[i * r + c] * a[i * r + p];
      for (let i = 0; i < D; i++) a[i * r + c] -= dot * a[i * r + p];
    }
    let norm = 0;
    for (let i = 0; i < D; i++) norm += a[i * r + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < D; i++) a[i * r + c] /= norm;
  }
}

/** S·Q for Q [D, r], one pass over the rows: Σ_batches X_bᵀ(X_b Q − 1 mᵀQ)/n, the last batch padded with mean rows (centred: zero). */
class CovarianceProduct {
  private constructor(
    private readonly graph: GraphFunction,
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly D: number,
    private readonly r: number,
    private readonly batch: number,
    readonly mean: Float64Array,
  ) {}

  static async create(data: Float32Array, n: number, D: number, r: number, threads?: number): Promise<CovarianceProduct> {
    const batch = Math.max(1, Math.min(n, Math.floor(4_000_000 / D)));
    const x = input('x', [batch, D]);
    const q = input('q', [D, r]);
    const mq = input('mq', [1, r]);
    const y = sub(matmul(x, q), mq);
    const graph = await GraphFunction.create(
      { inputs: [x, q, mq], outputs: { s: matmul(x, y, { transA: true }) }, name: 'pca-covariance-product' },
      { threads },
    );
    const mean = new Float64Array(D);
    for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) mean[j] += data[i * D + j];
    for (let j = 0; j < D; j++) mean[j] /= n;
    return new CovarianceProduct(graph, data, n, D, r, batch, mean);
  }

  /** tr S = (1/n) Σ ‖x − m‖², in float64. */
  trace(): number {
    let t = 0;
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.D; j++) t += (this.data[i * this.D + j] - this.mean[j]) ** 2;
    return t / this.n;
  }

  async times(q: Float64Array): Promise<Float64Array> {
    const { D, r, n, batch, mean } = this;
    const mq = new Float32Array(r);
    for (let i = 0; i < D; i++) for (let c = 0; c < r; c++) mq[c] += mean[i] * q[i * r + c];
    const q32 = Float32Array.from(q);
    const buf = new Float32Array(batch * D);
    const out = new Float64Array(D * r);
    for (let s = 0; s < n; s += batch) {
      const rows = Math.min(batch, n - s);
      buf.set(this.data.subarray(s * D, (s + rows) * D));
      for (let p = rows; p < batch; p++) for (let j = 0; j < D; j++) buf[p * D + j] = mean[j];
      const part = (await this.graph.run({ x: buf, q: q32, mq })).s as Float32Array;
      for (let i = 0; i < D * r; i++) out[i] += part[i];
    }
    for (let i = 0; i < D * r; i++) out[i] /= n;
    return out;
  }
}

/** Ritz pairs of S on the span of orthonormal Q [D, r] given SQ: values (descending), U = QV and SU = (SQ)V, all [D, r]. */
function rayleighRitz(q: Float64Array, sq: Float64Array, D: number, r: number): { values: number[]; u: Float64Array; su: Float64Array } {
  const t = new Matrix(r, r);
  for (let a = 0; a < r; a++)
    for (let b = a; b < r; b++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += q[i * r + a] * sq[i * r + b] + q[i * r + b] * sq[i * r + a];
      t.set(a, b, s / 2);
      t.set(b, a, s / 2);
    }
  const evd = new EigenvalueDecomposition(t, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]);
  const V = evd.eigenvectorMatrix;
  const u = new Float64Array(D * r);
  const su = new Float64Array(D * r);
  for (let i = 0; i < D; i++) {
    for (let c = 0; c < r; c++) {
      const e = order[c][1];
      let a = 0;
      let b = 0;
      for (let k = 0; k < r; k++) {
        a += q[i * r + k] * V.get(k, e);
        b += sq[i * r + k] * V.get(k, e);
      }
      u[i * r + c] = a;
      su[i * r + c] = b;
    }
  }
  return { values: order.map((o) => o[0]), u, su };
}

/**
 * Fits PCA with q components (1 ≤ q ≤ D) to the `n` rows of `data` (row-major [n, D]): the mean, the
 * top q eigenvalues of the (1/n) covariance and their eigenvectors (see the file's comment).
 */
export async function fitPca(data: Float32Array, n: number, dataSize: number, q: number, opts: PcaOptions = {}): Promise<PcaFit> {
  const D = dataSize;
  if (!(Number.isInteger(q) && q >= 1 && q <= D)) throw new RangeError(`fitPca: need 1 <= q <= D, got q = ${q}, D = ${D}`);
  if (data.length < n * D) throw new RangeError(`fitPca: expected ${n} x ${D} values, got ${data.length}`);
  const r = Math.min(D, q + (opts.oversample ?? 10));
  const tolerance = opts.tolerance ?? 1e-5;
  const maxIterations = opts.maxIterations ?? 300;
  const product = await CovarianceProduct.create(data, n, D, r, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const basis = Float64Array.from({ length: D * r }, () => rng.normal());
  orthonormalizeColumns(basis, D, r);
  let ritz = rayleighRitz(basis, await product.times(basis), D, r);
  let iterations = 1;
  for (; iterations < maxIterations; iterations++) {
    let worst = 0;
    for (let c = 0; c < q; c++) {
      let res = 0;
      for (let i = 0; i < D; i++) res += (ritz.su[i * r + c] - ritz.values[c] * ritz.u[i * r + c]) ** 2;
      worst = Math.max(worst, Math.sqrt(res));
    }
    if (worst <= tolerance * Math.max(ritz.values[0], 1e-300)) break;
    // Q ← orth(S U): one power step on the subspace, then Rayleigh–Ritz again.
    const next = ritz.su;
    orthonormalizeColumns(next, D, r);
    ritz = rayleighRitz(next, await product.times(next), D, r);
  }
  const components = new Float64Array(q * D);
  for (let c = 0; c < q; c++) for (let i = 0; i < D; i++) components[c * D + i] = ritz.u[i * r + c];
  const variances = Float64Array.from(ritz.values.slice(0, q), (v) => Math.max(v, 0));
  return { dataSize: D, q, mean: product.mean, variances, totalVariance: product.trace(), components, iterations };
}

/** The fit restricted to its first k components (k ≤ q). */
export function leadingComponents(fit: PcaFit, k: number): PcaFit {
  if (!(k >= 1 && k <= fit.q)) throw new RangeError(`leadingComponents: need 1 <= k <= ${fit.q}, got ${k}`);
  return { ...fit, q: k, variances: fit.variances.slice(0, k), components: fit.components.slice(0, k * fit.dataSize) };
}

/** Projections y = U_qᵀ (x − m) of row `i` into `y`; returns ‖x − m‖². */
function project(fit: PcaFit, data: ArrayLike<number>, i: number, y: Float64Array): number {
  const D = fit.dataSize;
  y.fill(0);
  let norm2 = 0;
  for (let j = 0; j < D; j++) {
    const e = data[i * D + j] - fit.mean[j];
    if (e === 0) continue;
    norm2 += e * e;
    for (let k = 0; k < fit.q; k++) y[k] += fit.components[k * D + j] * e;
  }
  return norm2;
}

/** The coefficients y = U_qᵀ (x − m) of the `n` rows of `data` [n, D]: [n, q]. */
export function pcaTransform(fit: PcaFit, data: ArrayLike<number>, n: number): Float32Array {
  const y = new Float64Array(fit.q);
  const out = new Float32Array(n * fit.q);
  for (let i = 0; i < n; i++) {
    project(fit, data, i, y);
    out.set(y, i * fit.q);
  }
  return out;
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

/** σ²_ML = (tr S − Σ_{i≤q} λ_i)/(D − q) (Tipping & Bishop 1999, eq. 8). */
function ppcaNoise(fit: PcaFit): number {
  if (fit.q >= fit.dataSize) throw new RangeError(`pPCA needs q < D, got q = ${fit.q}, D = ${fit.dataSize}`);
  let top = 0;
  for (const l of fit.variances) top += l;
  return Math.max(fit.totalVariance - top, 0) / (fit.dataSize - fit.q);
}

/** The pPCA maximum-likelihood parameters of a PCA fit: μ = m, σ² as above, W = U_q (Λ_q − σ² I)^{1/2} (eq. 7, R = I). */
export function ppcaParams(fit: PcaFit): PpcaParams {
  const { q, dataSize: d } = fit;
  const sigma2 = ppcaNoise(fit);
  const W = new Float64Array(d * q);
  for (let k = 0; k < q; k++) {
    const g = Math.sqrt(Math.max(fit.variances[k] - sigma2, 0));
    for (let r = 0; r < d; r++) W[r * q + k] = fit.components[k * d + r] * g;
  }
  return { d, q, W, mu: Float64Array.from(fit.mean), sigma2 };
}

/** The closed-form maximum-likelihood pPCA fit of `n` rows [n, d] with q latents (Tipping & Bishop 1999). */
export async function fitPpca(data: Float32Array, n: number, d: number, q: number, opts: PcaOptions = {}): Promise<PpcaParams> {
  if (!(q >= 1 && q < d)) throw new RangeError(`fitPpca: need 1 <= q < d, got q = ${q}, d = ${d}`);
  return ppcaParams(await fitPca(data, n, d, q, opts));
}

/** The exact pPCA (ML fit) average log-likelihood per example of n rows, in nats (Tipping & Bishop 1999). */
export function ppcaLogLikelihood(fit: PcaFit, data: ArrayLike<number>, n: number): number {
  const { q, dataSize: D, variances: l } = fit;
  const sigma2 = ppcaNoise(fit);
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
