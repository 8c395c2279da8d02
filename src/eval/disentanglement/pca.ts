/**
 * Principal components of many high-dimensional rows (64×64 = 4,096 pixels) by randomized subspace
 * iteration (Halko, Martinsson & Tropp 2011, Algorithm 4.4, then Rayleigh–Ritz on the small
 * subspace): the PCA baseline of Higgins et al. 2017. Written here: `ml-pca` (the maintained npm
 * PCA) builds the full covariance or runs NIPALS on nested arrays, which did not finish 3,000 × 4,096
 * rows in two minutes here; this needs a few passes of X and X^T over Float32Arrays.
 */
import { symmetricEigen } from '../../data/linalg.js';
import { Random } from '../../engine/random.js';

/** A PCA projection: z = Wᵀ(x − mean), W the top `k` principal directions as columns of [D, k]. */
export interface Pca {
  readonly k: number;
  readonly dim: number;
  readonly mean: Float64Array;
  /** Row-major [D, k]. */
  readonly components: Float64Array;
  /** Variance along each component, largest first. */
  readonly variances: Float64Array;
}

/** Orthonormalises the columns of `q` [D, r] in place (modified Gram–Schmidt). */
export function orthonormalize(q: Float64Array, D: number, r: number): void {
  for (let c = 0; c < r; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += q[i * r + c] * q[i * r + p];
      for (let i = 0; i < D; i++) q[i * r + c] -= dot * q[i * r + p];
    }
    let norm = 0;
    for (let i = 0; i < D; i++) norm += q[i * r + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < D; i++) q[i * r + c] /= norm;
  }
}

/** Y = X_c Q for centred rows: [n, r]. */
function project(x: Float32Array, n: number, D: number, mean: Float64Array, q: Float64Array, r: number): Float64Array {
  const y = new Float64Array(n * r);
  let shift = new Float64Array(r); // meanᵀQ, subtracted once per row
  shift = shift.map((_, c) => mean.reduce((s, m, i) => s + m * q[i * r + c], 0));
  for (let a = 0; a < n; a++) {
    const o = a * r;
    for (let i = 0; i < D; i++) {
      const v = x[a * D + i];
      if (v === 0) continue;
      for (let c = 0; c < r; c++) y[o + c] += v * q[i * r + c];
    }
    for (let c = 0; c < r; c++) y[o + c] -= shift[c];
  }
  return y;
}

/** The top `k` principal components of the `n` rows of `x` [n, D]. */
export function fitPca(x: Float32Array, n: number, D: number, k: number, opts: { iterations?: number; oversample?: number; seed?: number } = {}): Pca {
  const r = Math.min(D, k + (opts.oversample ?? 6));
  const mean = new Float64Array(D);
  for (let a = 0; a < n; a++) for (let i = 0; i < D; i++) mean[i] += x[a * D + i] / n;
  const rng = new Random(opts.seed ?? 0);
  let q = Float64Array.from({ length: D * r }, () => rng.normal());
  orthonormalize(q, D, r);
  for (let it = 0; it < (opts.iterations ?? 6); it++) {
    // Q ← orth(X_cᵀ X_c Q): one power step of the covariance on the subspace.
    const y = project(x, n, D, mean, q, r);
    const ySum = new Float64Array(r);
    for (let a = 0; a < n; a++) for (let c = 0; c < r; c++) ySum[c] += y[a * r + c];
    const next = new Float64Array(D * r);
    for (let a = 0; a < n; a++) {
      for (let i = 0; i < D; i++) {
        const v = x[a * D + i];
        if (v === 0) continue;
        for (let c = 0; c < r; c++) next[i * r + c] += v * y[a * r + c];
      }
    }
    for (let i = 0; i < D; i++) for (let c = 0; c < r; c++) next[i * r + c] -= mean[i] * ySum[c];
    orthonormalize(next, D, r);
    q = next;
  }
  // Rayleigh–Ritz: eigenvectors of B = (X_c Q)ᵀ(X_c Q) / n rotate Q onto the principal directions.
  const y = project(x, n, D, mean, q, r);
  const B = new Float64Array(r * r);
  for (let a = 0; a < n; a++) for (let c = 0; c < r; c++) for (let e = 0; e < r; e++) B[c * r + e] += (y[a * r + c] * y[a * r + e]) / n;
  const eig = symmetricEigen(B, r);
  const components = new Float64Array(D * k);
  for (let i = 0; i < D; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += q[i * r + c] * eig.vectors[c * r + j];
    components[i * k + j] = s;
  }
  return { k, dim: D, mean, components, variances: eig.values.slice(0, k) };
}

/** z = Wᵀ(x − mean) for the `n` rows of `x` [n, D]: [n, k]. */
export function pcaTransform(p: Pca, x: Float32Array, n: number): Float32Array {
  return Float32Array.from(project(x, n, p.dim, p.mean, p.components, p.k));
}
