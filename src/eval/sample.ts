/**
 * Generation (seed 004, "ancestral vs deterministic sampling"): z ~ p(z), then
 * - `ancestral`: x ~ p(x|z) (a Bernoulli draw per pixel, or μ_x + σ_x ⊙ ε for Gaussian decoders);
 * - `mean`: x = E[x|z] (probabilities, or μ_x);
 * - `alpha`: x = μ_x + α σ_x ⊙ ε, the interpolation seed 004 shows between the two (Gaussian decoders).
 * Also a PNG grid writer for image data.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Random } from '../engine/random.js';
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

/** n samples x, row-major [n, D], in the mode asked for (not clamped; {@link writePngGrid} clamps). */
export async function sampleModel(model: LatentVariableModel, opts: SampleOptions): Promise<Float32Array> {
  const g = await sampleGraph(model, opts.n, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const out = await g.run(drawNoise(g.noise, rng));
  const mean = out.mean;
  const std = out.std as Float32Array | undefined;
  if (opts.mode === 'mean') return mean;
  if (opts.mode === 'alpha') {
    if (!std) throw new Error("sample mode 'alpha' needs a Gaussian decoder (μ_x + α σ_x); this model's decoder has no σ_x: use 'mean' or 'ancestral'");
    const a = opts.alpha ?? 0.5;
    return mean.map((m, i) => m + a * std[i] * rng.normal());
  }
  if (std) return mean.map((m, i) => m + std[i] * rng.normal());
  return mean.map((p) => (rng.uniform() < p ? 1 : 0));
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
