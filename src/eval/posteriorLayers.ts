/**
 * The posterior q(z|x) of every stochastic layer, summarised per example by its moments: the mean
 * E_q[z_u|x] (what active units read, Burda et al. 2016; seed 002), the variance Var_q[z_u|x] (the
 * variance law's σ², seed 000), the KL per latent where it is defined, and one draw z ~ q(z|x) (the
 * aggregate posterior's samples). Built here from each model's public pieces, so the models stay as
 * they are:
 * - VAE without a flow: q(z|x) = N(μ, σ²) exactly; KL per latent in closed form for the N(0, I) prior,
 *   by Monte Carlo against the prior's 1-D marginals for the MoG and VampPrior priors;
 * - VAE with an IAF: the statistics of the flow's output z_T, by Monte Carlo over S draws of z_0, and with
 *   the N(0, I) prior the KL of the moment-matched Gaussian per latent (a lower bound of the marginal KL);
 * - hierarchical VAE: z1 exactly from q(z1|x); z2 from q(z2|x) = E_{q(z1|x)} q(z2|z1), its mean and
 *   variance by the law of total variance over S draws of z1 (not one draw).
 */
import { add, constant, exp, input, log, mul, param, reshape, slice, sub } from '../engine/ops.js';
import { logSoftmax, logsumexp, mean, square } from '../engine/composite.js';
import { DiagonalGaussian } from '../distributions/normal.js';
import type { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import type { Source } from '../data/dataset.js';
import { batches } from '../data/batches.js';
import { HierarchicalVAE } from '../models/hvae.js';
import type { LatentVariableModel, NoiseSpec } from '../models/types.js';
import { VAE } from '../models/vae.js';
import { ModelGraph } from './graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';

/** What one stochastic layer's posterior looks like for a batch, as graph outputs [B, d]. */
interface LayerTensors {
  readonly name: string;
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly kl: Tensor | null;
  readonly sample: Tensor;
  /** True when q(z|x) of this layer is exactly the Gaussian N(mean, variance). */
  readonly gaussian: boolean;
}

/** One stochastic layer's posterior moments over n examples, each row-major [n, d]. */
export interface LayerPosterior {
  /** 'z' for single-layer models, 'z1' and 'z2' for the hierarchical VAE. */
  readonly name: string;
  readonly n: number;
  readonly d: number;
  /** E_q[z_u|x]. */
  readonly mean: Float32Array;
  /** Var_q[z_u|x]. */
  readonly variance: Float32Array;
  /** KL(q(z_u|x) ‖ p(z_u)) per latent (closed form or Monte Carlo), or null where it is not defined. */
  readonly kl: Float32Array | null;
  /** One draw z ~ q(z|x) per example: samples of the aggregate posterior q(z). */
  readonly sample: Float32Array;
  /** True when q(z|x) is exactly N(mean, variance) (then q(z) is a Gaussian mixture). */
  readonly gaussian: boolean;
}

const row0 = (t: Tensor): Tensor => reshape(slice(t, 0, 0, 1), t.shape.slice(1));
/** Unbiased variance over the S samples of axis 0: (S / (S − 1)) (mean(z²) − mean(z)²). */
const sampleVariance = (t: Tensor, m: Tensor): Tensor => mul(sub(mean(square(t), 0), square(m)), t.shape[0] / Math.max(1, t.shape[0] - 1));

/**
 * log p(z_u) of each latent under the 1-D marginals of a mixture prior (MoG, VampPrior), z [..., d] →
 * [..., d]: logsumexp_c (log π_c + log N(z_u; μ_cu, σ_cu²)); null for the standard normal prior.
 */
function mixtureMarginals(model: VAE): ((z: Tensor) => Tensor) | null {
  const { prior } = model.config;
  if (prior !== 'mog' && prior !== 'vampprior') return null;
  const g =
    prior === 'mog'
      ? new DiagonalGaussian(param(model.store.get('prior.mu')), param(model.store.get('prior.logVar')))
      : model.encoder(param(model.store.get('prior.pseudoInputs')));
  const [c, d] = g.mu.shape;
  const learned = model.store.all().find((p) => p.name === 'prior.logits'); // MoG weights, when learned
  const logPi = learned ? reshape(logSoftmax(param(learned)), [c, 1]) : constant(-Math.log(c));
  return (z) => logsumexp(add(g.logDensity(reshape(z, [...z.shape.slice(0, -1), 1, d])), logPi), -2);
}

/**
 * q(z_0|x) and the context h the IAF steps read, where the model has one (`encodeWithContext`, issue #8's
 * IAF with the encoder context); without it, q(z|x) and no context. Written so that it holds on both sides of that change.
 */
function encodeWithContext(model: VAE, x: Tensor): { q: DiagonalGaussian; h: Tensor | undefined } {
  const withContext = (model as unknown as { encodeWithContext?: (x: Tensor) => { q: DiagonalGaussian; h: Tensor | null } })
    .encodeWithContext;
  if (!withContext) return { q: model.encoder(x), h: undefined };
  const r = withContext.call(model, x);
  return { q: r.q, h: r.h ?? undefined };
}

function vaeLayers(model: VAE, x: Tensor, noise: Record<string, Tensor>): LayerTensors[] {
  const { q, h } = encodeWithContext(model, x);
  if (!model.flow) {
    // KL_u in closed form for N(0, I); for mixture priors E_q[log q(z_u|x) − log p(z_u)] over S draws, p(z_u) the prior's marginal.
    const marginal = mixtureMarginals(model);
    const z = q.sample(noise.eps); // [S, B, d]
    const kl = model.prior.klPerLatent(q) ?? (marginal ? mean(sub(q.logDensity(z), marginal(z)), 0) : null);
    return [{ name: 'z', mean: q.mu, variance: exp(q.logVar), kl, sample: row0(z), gaussian: true }];
  }
  const forward = model.flow.forward.bind(model.flow) as (z0: Tensor, context?: Tensor) => { z: Tensor };
  const zT = forward(q.sample(noise.eps), h).z; // [S, B, d]
  const m = mean(zT, 0);
  const v = sampleVariance(zT, m);
  const kl = model.config.prior === 'standard' ? momentMatchedKl(m, v, zT.shape[0]) : null;
  return [{ name: 'z', mean: m, variance: v, kl, sample: row0(zT), gaussian: false }];
}

/**
 * KL(N(m_u, v_u) ‖ N(0, 1)) = ½ (m² + v − 1 − log v) of the Gaussian with the moments of q(z_T,u|x), from S
 * draws: a lower bound of the marginal KL(q(z_T,u|x) ‖ N(0, 1)) (at a given variance the Gaussian has the
 * largest entropy), equal to it where the flow is affine. Debiased for the S-sample moments, E[m̂²] = m² + v/S
 * and E[log v̂] ≈ log v − 1/(S − 1), so that a collapsed latent reads ≈ 0 ± O(1/S), not +O(1/S).
 */
function momentMatchedKl(m: Tensor, v: Tensor, s: number): Tensor {
  return mul(sub(add(sub(square(m), mul(v, 1 / s)), v), add(log(v), 1 + 1 / Math.max(1, s - 1))), 0.5);
}

function hvaeLayers(model: HierarchicalVAE, x: Tensor, noise: Record<string, Tensor>): LayerTensors[] {
  const q1 = model.q1(x);
  const z1 = q1.sample(noise.eps1); // [S, B, d1]
  const q2 = model.q2(z1);
  const z2 = q2.sample(noise.eps2);
  const p1 = model.p1(z2);
  // Per latent of z1: E_q[log q(z1_u|x) − log p(z1_u|z2)] by Monte Carlo; the terms of the two layers sum to the total KL.
  const kl1 = mean(sub(q1.logDensity(z1), p1.logDensity(z1)), 0);
  const kl2 = model.prior.klPerLatent(q2);
  const m2 = mean(q2.mu, 0);
  // Law of total variance: Var[z2|x] = E_{z1}[σ2²(z1)] + Var_{z1}[μ2(z1)].
  const v2 = add(mean(exp(q2.logVar), 0), sampleVariance(q2.mu, m2));
  return [
    { name: 'z1', mean: q1.mu, variance: exp(q1.logVar), kl: kl1, sample: row0(z1), gaussian: true },
    { name: 'z2', mean: m2, variance: v2, kl: kl2 ? mean(kl2, 0) : null, sample: row0(z2), gaussian: false },
  ];
}

/** Any other model: the single layer its terms describe (the deterministic AE: variance 0, z = μ). */
function genericLayers(model: LatentVariableModel, x: Tensor, noise: Record<string, Tensor>, s: number): LayerTensors[] {
  const t = model.terms(x, noise, s);
  const variance = exp(t.posteriorLogVar);
  return [{ name: 'z', mean: t.posteriorMean, variance, kl: t.klPerLatent, sample: t.posteriorMean, gaussian: model.deterministic }];
}

function layerNoise(model: LatentVariableModel, batch: number, s: number): NoiseSpec[] {
  if (model instanceof HierarchicalVAE) {
    return [
      { name: 'eps1', shape: [s, batch, model.latent1] },
      { name: 'eps2', shape: [s, batch, model.latentSize] },
    ];
  }
  if (model instanceof VAE) return [{ name: 'eps', shape: [s, batch, model.latentSize] }];
  return model.noise(batch, s);
}

type LayerGraph = { graph: ModelGraph; layers: Array<{ name: string; d: number; kl: boolean; gaussian: boolean }> };
/** Compiled graphs per model and shape: the training loop measures at every validation. */
const compiled = new WeakMap<LatentVariableModel, Map<string, Promise<LayerGraph>>>();

function cachedLayerGraph(model: LatentVariableModel, batch: number, s: number, threads?: number): Promise<LayerGraph> {
  let byShape = compiled.get(model);
  if (!byShape) compiled.set(model, (byShape = new Map()));
  const key = `${batch}x${s}x${threads ?? ''}`;
  let g = byShape.get(key);
  if (!g) byShape.set(key, (g = layerGraph(model, batch, s, threads)));
  return g;
}

/** Compiles the per-layer posterior graph of `model` for batches of `batch` rows and S Monte Carlo draws. */
export async function layerGraph(model: LatentVariableModel, batch: number, s: number, threads?: number): Promise<LayerGraph> {
  const x = input('x', [batch, model.dataSize]);
  const specs = layerNoise(model, batch, s);
  const noise = noiseInputs(specs);
  const layers =
    model instanceof HierarchicalVAE
      ? hvaeLayers(model, x, noise)
      : model instanceof VAE
        ? vaeLayers(model, x, noise)
        : genericLayers(model, x, noise, s);
  const outputs: Record<string, Tensor> = {};
  for (const l of layers) {
    outputs[`${l.name}.mean`] = l.mean;
    outputs[`${l.name}.variance`] = l.variance;
    outputs[`${l.name}.sample`] = l.sample;
    if (l.kl) outputs[`${l.name}.kl`] = l.kl;
  }
  const graph = await ModelGraph.compile([x, ...Object.values(noise)], outputs, specs, threads);
  return { graph, layers: layers.map((l) => ({ name: l.name, d: l.mean.shape[1], kl: l.kl !== null, gaussian: l.gaussian })) };
}

/** Monte Carlo draws per example for an IAF posterior by default. */
export const FLOW_SAMPLES = 512;

/** Options of {@link posteriorLayers}. */
export interface PosteriorLayersOptions {
  readonly batch?: number;
  /** Monte Carlo draws S per example where the moments have no closed form (HVAE z2: default 64; IAF: 512). */
  readonly samples?: number;
  readonly threads?: number;
}

/**
 * The per-layer posterior moments of every example of `inputs` (already preprocessed model inputs,
 * read 'raw'), with noise from `rng`.
 */
export async function posteriorLayers(
  model: LatentVariableModel,
  inputs: Source,
  rng: Random,
  opts: PosteriorLayersOptions = {},
): Promise<LayerPosterior[]> {
  const batch = opts.batch ?? 100;
  const monteCarlo = model instanceof HierarchicalVAE || (model instanceof VAE && (model.flow || model.config.prior !== 'standard'));
  // An IAF's per-latent KL (collapse at ε = 0.01 nats) needs its sampling noise, O(1/S), well below ε.
  const s = monteCarlo ? (opts.samples ?? (model instanceof VAE && model.flow ? FLOW_SAMPLES : 64)) : 1;
  const { graph, layers } = await cachedLayerGraph(model, batch, s, opts.threads);
  const n = inputs.n;
  const out = layers.map((l) => ({
    name: l.name,
    n,
    d: l.d,
    gaussian: l.gaussian,
    mean: new Float32Array(n * l.d),
    variance: new Float32Array(n * l.d),
    sample: new Float32Array(n * l.d),
    kl: l.kl ? new Float32Array(n * l.d) : null,
  }));
  const noise: Record<string, Float32Array> = {};
  let i = 0;
  for (const b of batches(inputs, { batchSize: batch, preprocess: 'raw' })) {
    drawNoise(graph.noise, rng, noise);
    const r = await graph.run({ x: b.x, ...noise });
    for (const l of out) {
      const rows = b.size * l.d;
      l.mean.set(r[`${l.name}.mean`].subarray(0, rows), i * l.d);
      l.variance.set(r[`${l.name}.variance`].subarray(0, rows), i * l.d);
      l.sample.set(r[`${l.name}.sample`].subarray(0, rows), i * l.d);
      l.kl?.set(r[`${l.name}.kl`].subarray(0, rows), i * l.d);
    }
    i += b.size;
  }
  return out;
}
