/**
 * ELBO surgery (Hoffman & Johnson 2016; seed 002) for a VAE whose posterior is an IAF (Kingma et al.
 * 2016): z_T = f(z_0; h(x)), z_0 ~ N(μ(x), σ²(x)). Each term needs log q(z_T|x):
 * - at its own draw, by change of variables: log q(z_T|x) = log N(z_0; μ, σ²) − log|det ∂z_T/∂z_0|;
 * - at a draw z_T,m of another example (the aggregate q(z) = (1/N) Σ_n q(z|x_n)), through the flow's
 *   inverse: z_0 = f⁻¹(z_T,m; h_n), then the same formula. That is N² inversions of d sequential MADE
 *   passes per step, so the aggregate is taken over a subset (N in the low thousands, not 60,000).
 * avg KL = (1/N) Σ_n [log q(z_n|x_n) − log p(z_n)], marginal KL = (1/N) Σ_m [log q(z_m) − log p(z_m)] with
 * log q(z_m) = logsumexp_n log q(z_m|x_n) − log N, and the mutual information by the difference.
 */
import { input, sub } from '../engine/ops.js';
import type { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian } from '../distributions/normal.js';
import type { Source } from '../data/dataset.js';
import { batches } from '../data/batches.js';
import type { VAE } from '../models/vae.js';
import { IAF } from '../models/iaf.js';
import { ModelGraph } from './graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';
import { meanWithError } from './standardError.js';
import { surgeryRecord, type Surgery } from './surgery.js';

/** What the surgery reads of each example's flow posterior, row-major. */
export interface FlowPosteriors {
  readonly n: number;
  readonly d: number;
  /** Size c of the encoder context h (0: none). */
  readonly c: number;
  readonly mu: Float32Array;
  readonly logVar: Float32Array;
  /** h [N, c]. */
  readonly context: Float32Array;
  /** One draw z_T ~ q(z_T|x_n) per example, [N, d]. */
  readonly sample: Float32Array;
  /** log q(z_T,n|x_n) at that draw (change of variables), [N]. */
  readonly ownLogDensity: Float64Array;
}

/** μ, log σ², h, one draw z_T and its log q(z_T|x) for every example of `inputs` (preprocessed, read 'raw'). */
export async function flowPosteriors(
  model: VAE,
  inputs: Source,
  rng: Random,
  opts: { batch?: number; threads?: number } = {},
): Promise<FlowPosteriors> {
  const flow = model.flow;
  if (!flow) throw new Error('flowPosteriors: the model has no IAF');
  const B = opts.batch ?? 100;
  const d = model.latentSize;
  const x = input('x', [B, model.dataSize]);
  const specs = [{ name: 'eps', shape: [B, d] }];
  const noise = noiseInputs(specs);
  const { q, h } = model.encodeWithContext(x);
  const z0 = q.sample(noise.eps);
  const f = flow.forward(z0, h ?? undefined);
  const outputs: Record<string, Tensor> = { mu: q.mu, logVar: q.logVar, zT: f.z, own: sub(q.logProb(z0), f.logDet) };
  if (h) outputs.h = h;
  const g = await ModelGraph.compile([x, noise.eps], outputs, specs, opts.threads);
  const n = inputs.n;
  const c = h ? h.shape[1] : 0;
  const out = {
    n,
    d,
    c,
    mu: new Float32Array(n * d),
    logVar: new Float32Array(n * d),
    context: new Float32Array(n * c),
    sample: new Float32Array(n * d),
    ownLogDensity: new Float64Array(n),
  };
  let i = 0;
  for (const b of batches(inputs, { batchSize: B, preprocess: 'raw' })) {
    const r = await g.run({ x: b.x, ...drawNoise(specs, rng) });
    out.mu.set(r.mu.subarray(0, b.size * d), i * d);
    out.logVar.set(r.logVar.subarray(0, b.size * d), i * d);
    out.sample.set(r.zT.subarray(0, b.size * d), i * d);
    if (c > 0) out.context.set(r.h.subarray(0, b.size * c), i * c);
    for (let j = 0; j < b.size; j++) out.ownLogDensity[i + j] = r.own[j];
    i += b.size;
  }
  return out;
}

/** Options of {@link flowSurgery}. */
export interface FlowSurgeryOptions {
  /** Pairs (z_T,m, posterior n) per graph run (default 4096). */
  readonly pairs?: number;
  readonly threads?: number;
}

/** ELBO surgery of N IAF posteriors; `logPrior` gives log p(z) per row of z [rows, d]. */
export async function flowSurgery(
  model: VAE,
  post: FlowPosteriors,
  logPrior: (z: Float32Array, rows: number) => Promise<Float64Array> | Float64Array,
  opts: FlowSurgeryOptions = {},
): Promise<Surgery> {
  const flow = model.flow;
  // The aggregate posterior needs q(z_T|x_n) at other examples' draws, hence the flow's inverse: IAF has one.
  if (!(flow instanceof IAF)) throw new Error('flowSurgery: the model has no IAF posterior flow');
  const t0 = performance.now();
  const { n, d, c } = post;
  const nc = Math.min(n, 256); // posteriors per block
  const mc = Math.max(1, Math.floor((opts.pairs ?? 4096) / nc)); // draws per block
  const P = mc * nc;
  const zIn = input('z', [P, d]);
  const muIn = input('mu', [P, d]);
  const lvIn = input('logVar', [P, d]);
  const hIn = c > 0 ? input('h', [P, c]) : undefined;
  const z0 = flow.inverse(zIn, hIn);
  const logQ = sub(new DiagonalGaussian(muIn, lvIn).logProb(z0), flow.forward(z0, hIn).logDet); // log q(z_T|x_n) [P]
  const g = await ModelGraph.compile(hIn ? [zIn, muIn, lvIn, hIn] : [zIn, muIn, lvIn], { logQ }, [], opts.threads);
  const feeds = { z: new Float32Array(P * d), mu: new Float32Array(P * d), logVar: new Float32Array(P * d), h: new Float32Array(P * c) };
  // Streaming logsumexp over n for every draw m, in float64.
  const maxes = new Float64Array(n).fill(-Infinity);
  const sums = new Float64Array(n);
  for (let m0 = 0; m0 < n; m0 += mc) {
    const rows = Math.min(mc, n - m0);
    for (let n0 = 0; n0 < n; n0 += nc) {
      const cols = Math.min(nc, n - n0);
      for (let i = 0; i < mc; i++) {
        for (let j = 0; j < nc; j++) {
          const p = i * nc + j;
          const m = m0 + Math.min(i, rows - 1);
          const k = n0 + Math.min(j, cols - 1); // padding repeats the last real pair
          feeds.z.set(post.sample.subarray(m * d, (m + 1) * d), p * d);
          feeds.mu.set(post.mu.subarray(k * d, (k + 1) * d), p * d);
          feeds.logVar.set(post.logVar.subarray(k * d, (k + 1) * d), p * d);
          if (c > 0) feeds.h.set(post.context.subarray(k * c, (k + 1) * c), p * c);
        }
      }
      const lq = (await g.run(c > 0 ? feeds : { z: feeds.z, mu: feeds.mu, logVar: feeds.logVar })).logQ;
      for (let i = 0; i < rows; i++) {
        const m = m0 + i;
        for (let j = 0; j < cols; j++) {
          const v = lq[i * nc + j];
          if (v > maxes[m]) {
            sums[m] = sums[m] * Math.exp(maxes[m] - v) + 1;
            maxes[m] = v;
          } else sums[m] += Math.exp(v - maxes[m]);
        }
      }
    }
  }
  const lp = await logPrior(post.sample, n);
  const logN = Math.log(n);
  const marginal = Float64Array.from({ length: n }, (_, m) => maxes[m] + Math.log(sums[m]) - logN - lp[m]);
  const avgKl = meanWithError(Float64Array.from({ length: n }, (_, m) => post.ownLogDensity[m] - lp[m])).mean;
  return surgeryRecord(
    avgKl,
    marginal,
    t0,
    `q(z_T|x) of the IAF (${flow.steps.length} steps): log q by change of variables, at other examples' draws through the flow's inverse`,
  );
}
