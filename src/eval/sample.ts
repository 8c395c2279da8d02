/**
 * Generation (seed 004, "ancestral vs deterministic sampling"): z ~ p(z), then
 * - `ancestral`: x ~ p(x|z) (a Bernoulli draw per pixel, or μ_x + σ_x ⊙ ε for Gaussian decoders);
 * - `mean`: x = E[x|z] (probabilities, or μ_x);
 * - `alpha`: x = μ_x(z) + α σ_x(z), every pixel at the same quantile of its p(x|z) (seed 004, Figure 5.15;
 *   Gaussian decoders; α = 0 is `mean`).
 */
import { UserError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import { drawFromDecoder } from '../models/generate.js';
import type { LatentVariableModel } from '../models/types.js';
import { PixelVAE } from '../models/pixelvae.js';
import { sampleAutoregressive, samplePixelVaePrior, type AutoregressiveSamples } from './autoregressive.js';
import { sampleGraph } from './graphs.js';
import { drawNoise } from '../models/noise.js';
import { LatentDecoder } from './decode.js';
import type { LatentSampler } from './samplers/sampler.js';

/** How to turn a latent draw into an image. */
export type SampleMode = 'ancestral' | 'mean' | 'alpha';
/** The sample modes, for flag choices. */
export const SAMPLE_MODES = ['ancestral', 'mean', 'alpha'] as const;

/** Options of {@link sampleModel}. */
export interface SampleOptions {
  readonly n: number;
  readonly mode: SampleMode;
  /** α of mode `alpha` (default 0.5). */
  readonly alpha?: number;
  readonly seed?: number;
  readonly threads?: number;
  /** Where z comes from (default: the prior p(z), see samplers/). */
  readonly sampler?: LatentSampler;
}

/** Prior draws z ~ p(z) decoded at the same z: the decoder mean, its σ_x (Gaussian decoders) and x ~ p(x|z). */
export interface PriorSamples {
  /** E[x|z]: probabilities (Bernoulli) or μ_x(z), row-major [n, D]. */
  readonly mean: Float32Array;
  /** σ_x(z) [n, D] for Gaussian decoders, else null. */
  readonly std: Float32Array | null;
  /** Ancestral samples x ~ p(x|z) [n, D]. */
  readonly ancestral: Float32Array;
}

/** Draws n prior samples and decodes them (see {@link PriorSamples}). */
export async function drawPriorSamples(
  model: LatentVariableModel,
  opts: { readonly n: number; readonly seed?: number; readonly threads?: number },
): Promise<PriorSamples> {
  if (model instanceof PixelVAE) return asPriorSamples(model, await samplePixelVaePrior(model, opts.n, opts));
  const g = await sampleGraph(model, opts.n, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const out = await g.run(drawNoise(g.noise, rng));
  const std = out.std ?? null;
  return { mean: out.mean, std, ancestral: out.sample ?? drawFromDecoder(out.mean, std, rng) };
}

/** An autoregressive decoder's samples, drawn pixel by pixel; `mean` holds each pixel's p(x_i = 1 | x_<i, z) (Bernoulli) or μ_i. */
function asPriorSamples(model: PixelVAE, s: AutoregressiveSamples): PriorSamples {
  const D = model.dataSize;
  const P = model.likelihood.outputsPerPixel;
  const n = s.x.length / D;
  const mean = new Float32Array(n * D);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < D; i++) {
      const v = s.parameters[b * P * D + i];
      mean[b * D + i] = model.config.decoder === 'bernoulli' ? 1 / (1 + Math.exp(-v)) : v;
    }
  }
  return { mean, std: null, ancestral: s.x };
}

/** Draws n latent points through `sampler` and decodes them like {@link drawPriorSamples}. */
export async function drawSamples(
  model: LatentVariableModel,
  sampler: LatentSampler,
  opts: { readonly n: number; readonly seed?: number; readonly threads?: number },
): Promise<PriorSamples> {
  const seed = opts.seed ?? 0;
  const z = await sampler.sample(opts.n, seed);
  if (model instanceof PixelVAE)
    return asPriorSamples(model, await sampleAutoregressive(model, z, opts.n, { seed: seed + 1, threads: opts.threads }));
  const { mean, std } = await (await LatentDecoder.create(model, opts.threads)).decode(z);
  return { mean, std, ancestral: drawFromDecoder(mean, std, new Random(seed + 1)) };
}

/**
 * μ_x(z) + α σ_x(z): every pixel at the same quantile of its Gaussian p(x|z) (seed 004, Figure 5.15).
 * Needs a Gaussian decoder.
 */
export function shiftedByStd(s: PriorSamples, alpha: number): Float32Array {
  const std = s.std;
  if (!std)
    throw new UserError(
      "sample mode 'alpha' needs a Gaussian decoder (μ_x + α σ_x); this model's decoder has no σ_x: use 'mean' or 'ancestral'",
    );
  return s.mean.map((m, i) => m + alpha * std[i]);
}

/** n samples x, row-major [n, D], in the mode asked for (not clamped; the PNG grid writer clamps). */
export async function sampleModel(model: LatentVariableModel, opts: SampleOptions): Promise<Float32Array> {
  const s = opts.sampler ? await drawSamples(model, opts.sampler, opts) : await drawPriorSamples(model, opts);
  if (opts.mode === 'mean') return s.mean;
  if (opts.mode === 'alpha') return shiftedByStd(s, opts.alpha ?? 0.5);
  return s.ancestral;
}
