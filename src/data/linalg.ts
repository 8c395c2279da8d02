/**
 * The little dense linear algebra the pPCA check needs: a symmetric eigensolver and a Cholesky
 * factorisation, on row-major Float64Arrays. Written here rather than taken from npm because one
 * small eigensolver (d <= ~100) does not justify a dependency, and no maintained npm linear-algebra
 * package is needed for it. Not for use in training code (the engine does the heavy lifting).
 */

/** Eigen-decomposition of a symmetric matrix: `A = V diag(values) V^T`. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Eigenvectors as COLUMNS of a row-major `d x d` matrix, in the order of `values`. */
  readonly vectors: Float64Array;
}

/**
 * Cyclic Jacobi eigenvalue algorithm (Golub & Van Loan, Matrix Computations, section 8.5) for a
 * symmetric `d x d` matrix `a` (row-major, not modified). Converges quadratically; O(d^3) per sweep.
 */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  if (a.length !== d * d) throw new RangeError(`symmetricEigen: expected ${d}x${d} = ${d * d} values, got ${a.length}`);
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += m[i] * m[i];
  const tol = 1e-30 * Math.max(scale, 1e-300);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q] ** 2;
    if (off <= tol) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        // Rotation angle that zeroes m[p][q]: t = tan(theta), chosen as the smaller root.
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j] - m[i * d + i]);
  const values = Float64Array.from(order, (i) => m[i * d + i]);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    for (let k = 0; k < d; k++) vectors[k * d + dst] = v[k * d + src];
  });
  return { values, vectors };
}

/** Lower Cholesky factor `L` with `A = L L^T` of a symmetric positive-definite `d x d` matrix. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${i} = ${s})`);
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** The inverse of a symmetric positive-definite matrix and its log-determinant, via Cholesky. */
export function inverseSpd(a: Float64Array, d: number): { inverse: Float64Array; logDet: number } {
  const l = cholesky(a, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
  // Solve L Y = I (forward), then L^T X = Y (backward), column by column.
  const inv = new Float64Array(d * d);
  const y = new Float64Array(d);
  for (let col = 0; col < d; col++) {
    for (let i = 0; i < d; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
      y[i] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * inv[k * d + col];
      inv[i * d + col] = s / l[i * d + i];
    }
  }
  return { inverse: inv, logDet };
}
