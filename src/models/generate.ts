/**
 * Graph builders for looking at a model (seed 004 §5.3.3): ancestral sampling (the decoder's mean and
 * σ, so the caller draws x ~ p(x|z) in TypeScript), deterministic sampling μ_x(z), the shifted
 * μ_x(z) + α σ_x(z), reconstruction, encoding, and latent interpolation.
 */
import { exp, input, mul, zeros } from '../engine/ops.js';
import type { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import type { LatentVariableModel, NoiseSpec } from './types.js';

/** The decoder's mean E[x|z] and per-pixel σ_x(z) (null for Bernoulli-type decoders), [N, D]. */
export interface DecoderOutputs {
  mean: Tensor;
  std: Tensor | null;
}

/** p(x|z)'s parameters for z [N, d]: what ancestral sampling draws from (seed 004, Algorithm 6, steps 2–3). */
export function decode(model: LatentVariableModel, z: Tensor): DecoderOutputs {
  return { mean: model.decodeMean(z), std: model.decodeStd(z) };
}

/** A prior-sampling graph: its noise inputs (to feed), z ~ p(z) [N, d] and the decoder outputs at z. */
export interface PriorSampleGraph extends DecoderOutputs {
  noise: NoiseSpec[];
  /** The graph inputs of `noise`, in its order. */
  inputs: Tensor<'input'>[];
  z: Tensor;
  /** An ancestral draw x ~ p(x|z) through every layer below z, [N, D], where the model builds one in the graph. */
  sample: Tensor | null;
}

/**
 * z ~ p(z) then p(x|z)'s parameters and, where the model offers it, an ancestral draw through every layer
 * (seed 004, Algorithm 6); noise inputs are named by `model.priorNoise(n)` and `model.ancestralNoise(n)`.
 */
export function priorSampleGraph(model: LatentVariableModel, n: number): PriorSampleGraph {
  const noise = [...model.priorNoise(n), ...(model.ancestralNoise?.(n) ?? [])];
  const leaves = noise.map((s) => input(s.name, s.shape));
  const inputs = Object.fromEntries(leaves.map((t, i) => [noise[i].name, t]));
  const z = model.samplePrior(inputs, n);
  const drawn = model.ancestral?.(z, inputs);
  return { noise, inputs: leaves, z, ...(drawn ?? { ...decode(model, z), sample: null }) };
}

/** q(z|x)'s mean μ(x) and standard deviation σ(x), [B, d] (σ = 0 for the deterministic AE). */
export function encode(model: LatentVariableModel, x: Tensor): { mu: Tensor; sigma: Tensor } {
  const noise = Object.fromEntries(model.noise(x.shape[0], 1).map((s) => [s.name, zeros(s.shape)]));
  const t = model.terms(x, noise, 1);
  return { mu: t.posteriorMean, sigma: exp(mul(t.posteriorLogVar, 0.5)) };
}

/** Reconstruction μ_x(μ_z(x)) (seed 004, Figures 5.10–5.14: top row x, bottom row its reconstruction). */
export function reconstruct(model: LatentVariableModel, x: Tensor): Tensor {
  return model.decodeMean(encode(model, x).mu);
}

/**
 * Draws x ~ p(x|z) from evaluated decoder outputs (seed 004, Algorithm 6, step 3): N(mean, std²) per
 * pixel when `std` is given, else Bernoulli(mean). Only for models without {@link LatentVariableModel.ancestral},
 * which draws in the graph from the decoder's own likelihood (the continuous Bernoulli by its inverse CDF).
 */
export function drawFromDecoder(mean: ArrayLike<number>, std: ArrayLike<number> | null, rng: Random): Float32Array {
  const out = new Float32Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    out[i] = std ? mean[i] + std[i] * rng.normal() : rng.uniform() < mean[i] ? 1 : 0;
  }
  return out;
}
