/**
 * Generation (seed 004, "ancestral vs deterministic sampling"): z ~ p(z), then
 * - `ancestral`: x ~ p(x|z) (a Bernoulli draw per pixel, or μ_x + σ_x ⊙ ε for Gaussian decoders);
 * - `mean`: x = E[x|z] (probabilities, or μ_x);
 * - `alpha`: x = μ_x(z) + α σ_x(z), every pixel at the same quantile of its p(x|z) (seed 004, Figure 5.15;
 *   Gaussian decoders; α = 0 is `mean`).
 * Also a PNG grid writer for image data.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Random } from '../engine/random.js';
import { drawFromDecoder } from '../models/generate.js';
import type { LatentVariableModel } from '../models/types.js';
import { drawNoise, sampleGraph } from './graphs.js';

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
  const g = await sampleGraph(model, opts.n, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const out = await g.run(drawNoise(g.noise, rng));
  const std = out.std ?? null;
  return { mean: out.mean, std, ancestral: drawFromDecoder(out.mean, std, rng) };
}

/**
 * μ_x(z) + α σ_x(z): every pixel at the same quantile of its Gaussian p(x|z) (seed 004, Figure 5.15).
 * Needs a Gaussian decoder.
 */
export function shiftedByStd(s: PriorSamples, alpha: number): Float32Array {
  const std = s.std;
  if (!std) throw new Error("sample mode 'alpha' needs a Gaussian decoder (μ_x + α σ_x); this model's decoder has no σ_x: use 'mean' or 'ancestral'");
  return s.mean.map((m, i) => m + alpha * std[i]);
}

/** n samples x, row-major [n, D], in the mode asked for (not clamped; {@link writePngGrid} clamps). */
export async function sampleModel(model: LatentVariableModel, opts: SampleOptions): Promise<Float32Array> {
  const s = await drawPriorSamples(model, opts);
  if (opts.mode === 'mean') return s.mean;
  if (opts.mode === 'alpha') return shiftedByStd(s, opts.alpha ?? 0.5);
  return s.ancestral;
}

/**
 * Writes images [n, ...shape] (shape [H, W], [1, H, W] or [3, H, W], values in [0, 1], clamped) as
 * one PNG grid of ⌈√n⌉ columns with a 1-pixel gap.
 */
export function writePngGrid(path: string, images: Float32Array, shape: readonly number[]): void {
  const [c, h, w] = shape.length === 3 ? shape : shape.length === 2 ? [1, shape[0], shape[1]] : [1, 1, shape[0]];
  if (c !== 1 && c !== 3) throw new Error(`writePngGrid: expected 1 or 3 channels, got shape [${shape}]`);
  const size = c * h * w;
  const n = Math.floor(images.length / size);
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const png = new PNG({ width: cols * (w + 1) + 1, height: rows * (h + 1) + 1 });
  png.data.fill(0);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * (w + 1) + 1;
    const oy = Math.floor(k / cols) * (h + 1) + 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = ((oy + y) * png.width + ox + x) * 4;
        for (let ch = 0; ch < 3; ch++) {
          const v = images[k * size + (c === 3 ? ch : 0) * h * w + y * w + x];
          png.data[o + ch] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
      }
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}
