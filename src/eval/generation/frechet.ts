/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian (Heusel et
 * al. 2017, "GANs trained by a two time-scale update rule…", eq. for FID):
 *   d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2}).
 * The trace of the matrix square root is taken as tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}) = Σᵢ √λᵢ, which has
 * the same eigenvalues as (Σ₁Σ₂)^{1/2} but is symmetric positive semi-definite, so two symmetric
 * eigendecompositions (ml-matrix, a maintained package) give it without the complex round-off of a
 * general square root; eigenvalues that round below zero are clipped to 0.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { meanAndCovariance } from '../../data/ppca.js';

/** The mean and covariance of a set of feature vectors (float64). */
export interface FeatureMoments {
  /** Number of vectors the moments were taken over. */
  readonly n: number;
  /** Feature size F. */
  readonly f: number;
  /** Mean μ, [F]. */
  readonly mean: Float64Array;
  /** Covariance Σ (unbiased, divided by n − 1), row-major [F, F]. */
  readonly cov: Float64Array;
}

/** μ and the unbiased Σ of the n rows of `x` (row-major [n, f]). */
export function featureMoments(x: ArrayLike<number>, f: number): FeatureMoments {
  const n = Math.floor(x.length / f);
  if (n < 2 || n * f !== x.length) throw new RangeError(`featureMoments: expected at least 2 rows of ${f} values, got ${x.length} values`);
  const { mean, cov } = meanAndCovariance(x, n, f);
  for (let i = 0; i < cov.length; i++) cov[i] *= n / (n - 1);
  return { n, f, mean, cov };
}

function symmetric(a: Float64Array, f: number): Matrix {
  const m = new Matrix(f, f);
  for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) m.set(i, j, 0.5 * (a[i * f + j] + a[j * f + i]));
  return m;
}

/** The symmetric PSD square root V diag(√max(λ, 0)) Vᵀ of a symmetric matrix. */
function psdSqrt(a: Matrix): Matrix {
  const e = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const s = e.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  return v.clone().mulRowVector(s).mmul(v.transpose()); // mulRowVector works in place
}

/** tr((Σ₁ Σ₂)^{1/2}) = tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}) for symmetric PSD Σ₁, Σ₂ [F, F] (row-major). */
export function traceSqrtProduct(cov1: Float64Array, cov2: Float64Array, f: number): number {
  const r = psdSqrt(symmetric(cov1, f));
  const m = r.mmul(symmetric(cov2, f)).mmul(r);
  const sym = symmetric(Float64Array.from(m.to1DArray()), f);
  const e = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  return e.realEigenvalues.reduce((s, l) => s + Math.sqrt(Math.max(l, 0)), 0);
}

/** d² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr((Σ₁Σ₂)^{1/2}) (Heusel et al. 2017), clipped at 0 against round-off. */
export function frechetDistance(a: FeatureMoments, b: FeatureMoments): number {
  if (a.f !== b.f) throw new RangeError(`frechetDistance: feature sizes differ (${a.f} vs ${b.f})`);
  const f = a.f;
  let d2 = 0;
  for (let j = 0; j < f; j++) d2 += (a.mean[j] - b.mean[j]) ** 2;
  for (let j = 0; j < f; j++) d2 += a.cov[j * f + j] + b.cov[j * f + j];
  d2 -= 2 * traceSqrtProduct(a.cov, b.cov, f);
  return Math.max(d2, 0);
}
