/**
 * A mixture of K Gaussians fitted by expectation–maximisation (Dempster, Laird & Rubin 1977; Bishop,
 * PRML §9.2.2), diagonal or full covariances, on float64. Ghosh et al. 2020 ("From variational to
 * deterministic autoencoders") sample a trained autoencoder through such an ex-post fit of its codes.
 * Written here because no maintained npm package fits full-covariance mixtures with seeded,
 * reproducible initialisation; the Cholesky factor comes from data/linalg.
 */
import { Random } from '../../engine/random.js';
import { cholesky } from '../../data/linalg.js';

/** Diagonal Σ_k (d variances each) or full Σ_k (d × d). */
export type CovarianceKind = 'diag' | 'full';

/** A fitted mixture p(z) = Σ_k π_k N(z; μ_k, Σ_k), JSON-serialisable. */
export interface GaussianMixture {
  readonly k: number;
  readonly d: number;
  readonly covariance: CovarianceKind;
  /** Mixing weights π [K]. */
  readonly weights: number[];
  /** Means μ, [K][d]. */
  readonly means: number[][];
  /** Covariances: [K][d] variances (diag) or [K][d·d] row-major matrices (full). */
  readonly covariances: number[][];
  /** Mean log-likelihood per point of the data it was fitted on, nats. */
  readonly logLikelihood: number;
  /** EM iterations run. */
  readonly iterations: number;
}

/** Options of {@link fitGaussianMixture}. */
export interface FitOptions {
  readonly k: number;
  readonly covariance?: CovarianceKind;
  readonly seed?: number;
  /** At most this many EM iterations (default 200). */
  readonly maxIterations?: number;
  /** Stop when the mean log-likelihood gains less than this (default 1e-3 nats, as scikit-learn). */
  readonly tolerance?: number;
  /** Added to every variance, relative to the data's mean variance (default 1e-6), so no component collapses. */
  readonly regularization?: number;
}

/** Per-component log N(x; μ_k, Σ_k) evaluators, rebuilt after each M step. */
function componentLogDensities(
  g: Pick<GaussianMixture, 'k' | 'd' | 'covariance' | 'means' | 'covariances'>,
): ((x: Float64Array) => number)[] {
  const { d } = g;
  const log2pi = d * Math.log(2 * Math.PI);
  return g.means.map((mu, c) => {
    const cov = g.covariances[c];
    if (g.covariance === 'diag') {
      const logDet = cov.reduce((s, v) => s + Math.log(v), 0);
      // log N = −½ (d log 2π + Σ_j log σ²_j + Σ_j (x_j − μ_j)² / σ²_j)
      return (x) => {
        let q = 0;
        for (let j = 0; j < d; j++) q += (x[j] - mu[j]) ** 2 / cov[j];
        return -0.5 * (log2pi + logDet + q);
      };
    }
    const l = cholesky(Float64Array.from(cov), d);
    let logDet = 0;
    for (let j = 0; j < d; j++) logDet += 2 * Math.log(l[j * d + j]);
    const y = new Float64Array(d);
    // log N = −½ (d log 2π + log|Σ| + ‖L⁻¹(x − μ)‖²), Σ = L Lᵀ
    return (x) => {
      let q = 0;
      for (let i = 0; i < d; i++) {
        let s = x[i] - mu[i];
        for (let t = 0; t < i; t++) s -= l[i * d + t] * y[t];
        y[i] = s / l[i * d + i];
        q += y[i] * y[i];
      }
      return -0.5 * (log2pi + logDet + q);
    };
  });
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007): each next centre drawn ∝ squared distance to the nearest one. */
function seedMeans(x: Float64Array, n: number, d: number, k: number, rng: Random): number[][] {
  const means: number[][] = [];
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    const mu = Array.from(x.subarray(pick * d, (pick + 1) * d));
    means.push(mu);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j] - mu[j]) ** 2;
      nearest[i] = Math.min(nearest[i], s);
      total += nearest[i];
    }
    let u = rng.uniform() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= nearest[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  return means;
}

/**
 * Fits K Gaussians to the n rows of `data` (row-major [n, d]) by EM from a k-means++ start:
 * E step r_ik ∝ π_k N(x_i; μ_k, Σ_k); M step N_k = Σ_i r_ik, π_k = N_k / n, μ_k = Σ_i r_ik x_i / N_k,
 * Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + εI (PRML eqs. 9.23–9.27). Deterministic given the seed.
 */
export function fitGaussianMixture(data: ArrayLike<number>, d: number, opts: FitOptions): GaussianMixture {
  const n = Math.floor(data.length / d);
  const k = opts.k;
  const covariance = opts.covariance ?? 'diag';
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`fitGaussianMixture: k must be a positive integer, got ${k}`);
  if (n < k) throw new RangeError(`fitGaussianMixture: ${n} points cannot fit ${k} components`);
  const x = Float64Array.from(data as ArrayLike<number>);
  let spread = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      m += x[i * d + j];
      m2 += x[i * d + j] ** 2;
    }
    spread += m2 / n - (m / n) ** 2;
  }
  const eps = Math.max((opts.regularization ?? 1e-6) * (spread / d), 1e-12);
  const rng = new Random(opts.seed ?? 0);
  let means = seedMeans(x, n, d, k, rng);
  let covariances = means.map(() =>
    covariance === 'diag'
      ? new Array<number>(d).fill(spread / d + eps)
      : Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? spread / d + eps : 0)),
  );
  let weights = new Array<number>(k).fill(1 / k);
  const r = new Float64Array(n * k);
  const logp = new Float64Array(k);
  let previous = -Infinity;
  let ll = -Infinity;
  let iterations = 0;
  for (; iterations < (opts.maxIterations ?? 200); iterations++) {
    // E step, with log-sum-exp over components.
    const dens = componentLogDensities({ k, d, covariance, means, covariances });
    ll = 0;
    for (let i = 0; i < n; i++) {
      const xi = x.subarray(i * d, (i + 1) * d);
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        logp[c] = Math.log(weights[c]) + dens[c](xi);
        if (logp[c] > max) max = logp[c];
      }
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(logp[c] - max);
      const lse = max + Math.log(s);
      ll += lse;
      for (let c = 0; c < k; c++) r[i * k + c] = Math.exp(logp[c] - lse);
    }
    ll /= n;
    if (ll - previous < (opts.tolerance ?? 1e-3)) break;
    previous = ll;
    // M step.
    const nk = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c] += r[i * k + c];
    weights = Array.from(nk, (v) => Math.max(v, 1e-12) / n);
    means = Array.from({ length: k }, (_, c) => {
      const mu = new Array<number>(d).fill(0);
      for (let i = 0; i < n; i++) {
        const w = r[i * k + c];
        for (let j = 0; j < d; j++) mu[j] += w * x[i * d + j];
      }
      return mu.map((v) => v / Math.max(nk[c], 1e-12));
    });
    covariances = means.map((mu, c) => {
      const size = covariance === 'diag' ? d : d * d;
      const s = new Array<number>(size).fill(0);
      const diff = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const w = r[i * k + c];
        if (w === 0) continue;
        for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - mu[j];
        if (covariance === 'diag') for (let j = 0; j < d; j++) s[j] += w * diff[j] * diff[j];
        else for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) s[a * d + b] += w * diff[a] * diff[b];
      }
      const norm = Math.max(nk[c], 1e-12);
      if (covariance === 'diag') return s.map((v) => v / norm + eps);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = s[a * d + b] / norm + (a === b ? eps : 0);
          s[a * d + b] = v;
          s[b * d + a] = v;
        }
      }
      return s;
    });
  }
  return { k, d, covariance, weights, means, covariances, logLikelihood: ll, iterations };
}

/** Mean log p(x) per row of `data` under the mixture, nats. */
export function mixtureLogLikelihood(g: GaussianMixture, data: ArrayLike<number>): number {
  const d = g.d;
  const n = Math.floor(data.length / d);
  const dens = componentLogDensities(g);
  const xi = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xi[j] = data[i * d + j];
    const lp = dens.map((f, c) => Math.log(g.weights[c]) + f(xi));
    const max = Math.max(...lp);
    total += max + Math.log(lp.reduce((s, v) => s + Math.exp(v - max), 0));
  }
  return total / n;
}

/** n draws z ~ Σ_k π_k N(μ_k, Σ_k), row-major [n, d]: a component by its weight, then μ_k + L_k ε (Σ_k = L_k L_kᵀ). */
export function sampleGaussianMixture(g: GaussianMixture, n: number, rng: Random): Float32Array {
  const d = g.d;
  const factors = g.covariances.map((cov) =>
    g.covariance === 'diag' ? cov.map(Math.sqrt) : Array.from(cholesky(Float64Array.from(cov), d)),
  );
  const out = new Float32Array(n * d);
  const eps = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    let c = 0;
    while (c < g.k - 1 && u >= g.weights[c]) u -= g.weights[c++];
    rng.fillNormal(eps);
    const mu = g.means[c];
    const l = factors[c];
    for (let a = 0; a < d; a++) {
      let v = mu[a];
      if (g.covariance === 'diag') v += l[a] * eps[a];
      else for (let b = 0; b <= a; b++) v += l[a * d + b] * eps[b];
      out[i * d + a] = v;
    }
  }
  return out;
}
