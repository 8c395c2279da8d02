/**
 * ELBO surgery (Hoffman & Johnson 2016; seed 002): the average KL of the N training posteriors splits
 * into the mutual information between the example index and the code and the KL of the aggregate
 * posterior q(z) = (1/N) Σ_n q(z|x_n) to the prior:
 *   (1/N) Σ_n KL(q(z|x_n) ‖ p(z)) = I_q[n; z] + KL(q(z) ‖ p(z)),   0 ≤ I_q[n; z] ≤ log N.
 * The marginal KL is estimated by Monte Carlo, E_{q(z)}[log q(z) − log p(z)], with one draw
 * z_m ~ q(z|x_m) per posterior (a stratified draw from q(z)) and log q(z_m) computed exactly over all
 * N posteriors: log q(z) = logsumexp_n log N(z; μ_n, σ_n²) − log N, as the [M, N] matrix
 * Σ_u [−z_u²/(2σ_nu²) + z_u μ_nu/σ_nu²] + c_n (two matrix products) and a logsumexp over n, in an ONNX
 * graph, in chunks of M rows. The mutual information is the difference (seed 002's table).
 */
import { add, input, matmul, reshape } from '../engine/ops.js';
import { logsumexp, square } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { GraphFunction } from '../engine/function.js';
import type { LayerPosterior } from './posteriorLayers.js';
import { meanWithError } from './standardError.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** The seed's table row: ELBO = reconstruction − avg KL, avg KL = I[n; z] + KL(q(z) ‖ p(z)). */
export interface Surgery {
  /** N, the number of posteriors in the aggregate q(z). */
  readonly n: number;
  /** M, the number of Monte Carlo draws z_m ~ q(z). */
  readonly samples: number;
  /** (1/N) Σ_n KL(q(z|x_n) ‖ p(z)) (closed form where it exists, else Monte Carlo with the same draws). */
  readonly avgKl: number;
  /** I_q[n; z] = avg KL − marginal KL. */
  readonly mutualInformation: number;
  /** KL(q(z) ‖ p(z)) by Monte Carlo. */
  readonly marginalKl: number;
  /** Standard error of the marginal KL estimate over the M draws. */
  readonly marginalKlSe: number;
  /** log N, the upper bound of the mutual information. */
  readonly logN: number;
  readonly seconds: number;
  /** What q(z|x) was taken to be (e.g. the HVAE's top layer, an IAF's z_T), one line. */
  readonly posterior?: string;
}

/** Options of {@link elboSurgery}. */
export interface SurgeryOptions {
  /** Rows of z per graph run (default 256). */
  readonly chunk?: number;
  readonly threads?: number;
  /**
   * log p(z) of rows z [M, d], row-major, one value per row; default the standard normal's closed form.
   */
  readonly logPrior?: (z: Float32Array, rows: number) => Promise<Float64Array> | Float64Array;
}

/** log N(z; 0, I) per row of z [rows, d]. */
export function standardNormalLogPrior(d: number): (z: Float32Array, rows: number) => Float64Array {
  return (z, rows) => {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let u = 0; u < d; u++) s += z[r * d + u] ** 2;
      out[r] = -0.5 * (d * LOG_2PI + s);
    }
    return out;
  };
}

/** log N(z; μ, diag σ²) of a row of `z` under posterior n, in float64 (for avg KL by Monte Carlo). */
function logGaussian(z: ArrayLike<number>, zOff: number, mu: ArrayLike<number>, v: ArrayLike<number>, off: number, d: number): number {
  let s = 0;
  for (let u = 0; u < d; u++) s += LOG_2PI + Math.log(v[off + u]) + (z[zOff + u] - mu[off + u]) ** 2 / v[off + u];
  return -0.5 * s;
}

/** The graph of log q(z) for z [chunk, d] against N posteriors given as a = −1/(2σ²), b = μ/σ², c. */
async function aggregateLogDensityGraph(chunk: number, n: number, d: number, threads?: number): Promise<GraphFunction> {
  const z = input('z', [chunk, d]);
  const a = input('a', [n, d]);
  const b = input('b', [n, d]);
  const c = input('c', [1, n]);
  const logComp: Tensor = add(add(matmul(square(z), a, { transB: true }), matmul(z, b, { transB: true })), c); // [chunk, N]
  return GraphFunction.create(
    { inputs: [z, a, b, c], outputs: { lse: reshape(logsumexp(logComp, 1, true), [chunk]) }, name: 'surgery' },
    { threads },
  );
}

/**
 * The posteriors of the aggregate q(z) = (1/N) Σ_n q(z|x_n) when each q(z|x_n) is a uniform mixture of S
 * diagonal Gaussians (S = 1: the plain Gaussian posterior; S > 1: the top layer of a hierarchical VAE,
 * q(z2|x) = E_{q(z1|x)} q(z2|z1) by S draws of z1).
 */
export interface MixturePosteriors {
  readonly n: number;
  readonly d: number;
  /** Components S per example. */
  readonly components: number;
  /** μ of component s of example n at row n·S + s, [N·S, d]. */
  readonly mean: Float32Array;
  /** σ² of the components, [N·S, d]. */
  readonly variance: Float32Array;
  /** One draw z_n ~ q(z|x_n) per example, [N, d]. */
  readonly sample: Float32Array;
  /** Closed-form KL(q(z|x_n) ‖ p(z)) per latent [N, d] (S = 1, standard prior), or null: Monte Carlo. */
  readonly kl: Float32Array | null;
  /** What q(z|x) is, one line (shown with the table). */
  readonly posterior: string;
}

/**
 * ELBO surgery of N Gaussian posteriors (a single-layer model without a flow): `post` holds μ_n, σ_n²,
 * one draw z_n ~ q(z|x_n) and, where it exists, the closed-form KL per latent.
 */
export async function elboSurgery(post: LayerPosterior, opts: SurgeryOptions = {}): Promise<Surgery> {
  if (!post.gaussian) throw new Error('elboSurgery: needs Gaussian posteriors q(z|x) (no flow, one stochastic layer)');
  return mixtureSurgery({ ...post, components: 1, posterior: 'q(z|x) = N(μ(x), σ²(x))' }, opts);
}

/**
 * ELBO surgery of N posteriors that are uniform mixtures of S Gaussians: log q(z) over all N·S components
 * (the 1/(N·S) folded into c), the own log q(z_n|x_n) = logsumexp_s log N(z_n; μ_ns, σ_ns²) − log S.
 */
export async function mixtureSurgery(post: MixturePosteriors, opts: SurgeryOptions = {}): Promise<Surgery> {
  const t0 = performance.now();
  const { n, d, components: S } = post;
  const logPrior = opts.logPrior ?? standardNormalLogPrior(d);
  const nc = n * S;
  const a = new Float32Array(nc * d);
  const b = new Float32Array(nc * d);
  const c = new Float32Array(nc);
  const logN = Math.log(n);
  const logS = Math.log(S);
  for (let i = 0; i < nc; i++) {
    let ci = -logN - logS; // the 1/(N·S) of the uniform mixture, folded into c_i
    for (let u = 0; u < d; u++) {
      const j = i * d + u;
      const m = post.mean[j];
      const v = post.variance[j];
      a[j] = -0.5 / v;
      b[j] = m / v;
      ci += -0.5 * (LOG_2PI + Math.log(v) + (m * m) / v);
    }
    c[i] = ci;
  }
  // Rows per run: at most 2^24 entries in the [chunk, N·S] matrix.
  const chunk = Math.max(1, Math.min(opts.chunk ?? 256, n, Math.floor(2 ** 24 / nc)));
  const g = await aggregateLogDensityGraph(chunk, nc, d, opts.threads);
  const z = new Float32Array(chunk * d);
  const diff = new Float64Array(n); // log q(z_m) − log p(z_m)
  const ownKl = new Float64Array(n); // log q(z_m|x_m) − log p(z_m), for the avg KL without a closed form
  const own = new Float64Array(S);
  for (let s = 0; s < n; s += chunk) {
    const rows = Math.min(chunk, n - s);
    z.fill(0);
    z.set(post.sample.subarray(s * d, (s + rows) * d));
    const lq = (await g.run({ z, a, b, c })).lse as Float32Array;
    const lp = await logPrior(z, chunk);
    for (let r = 0; r < rows; r++) {
      const m = s + r;
      diff[m] = lq[r] - lp[r];
      for (let k = 0; k < S; k++) own[k] = logGaussian(post.sample, m * d, post.mean, post.variance, (m * S + k) * d, d);
      ownKl[m] = logSumExp(own) - logS - lp[r];
    }
  }
  let avgKl: number;
  if (post.kl) {
    let t = 0;
    for (let i = 0; i < n * d; i++) t += post.kl[i];
    avgKl = t / n;
  } else avgKl = meanWithError(ownKl).mean;
  return surgeryRecord(avgKl, diff, t0, post.posterior);
}

/**
 * The table row from the avg KL and the per-draw log q(z_m) − log p(z_m) (marginal KL by their mean, with
 * its standard error; I[n; z] by the difference); `t0` the start time from performance.now().
 */
export function surgeryRecord(avgKl: number, marginalTerms: Float64Array, t0: number, posterior: string): Surgery {
  const n = marginalTerms.length;
  const marginal = meanWithError(marginalTerms);
  return {
    n,
    samples: n,
    avgKl,
    mutualInformation: avgKl - marginal.mean,
    marginalKl: marginal.mean,
    marginalKlSe: marginal.se,
    logN: Math.log(n),
    seconds: (performance.now() - t0) / 1000,
    posterior,
  };
}

/** log Σ_i exp(v_i) in float64. */
export function logSumExp(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]);
  if (m === -Infinity) return m;
  let t = 0;
  for (let i = 0; i < v.length; i++) t += Math.exp(v[i] - m);
  return m + Math.log(t);
}
