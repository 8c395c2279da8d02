/**
 * The report's reconstructions and latent traversals for an autoregressive decoder (PixelVAE, VLAE):
 * E[x|z] has no one-pass form, so every picture is drawn pixel by pixel, x_i ~ p(x_i | x_<i, z), and shows
 * p(x_i = 1 | x_<i, z) along the draw. Reconstructions decode z = μ(x); traversals move one latent with the
 * others at 0. All images go through ONE batched draw (H·W graph runs whatever the count), with common
 * random numbers (the same uniform per pixel in every image), so that images differ only through z.
 */
import { join } from 'node:path';
import { sampleAutoregressive } from '../eval/autoregressive.js';
import type { PixelVAE } from '../models/pixelvae.js';
import { writeImageGrid, type ImageShape } from './canvas.js';
import type { Picture } from './pictures.js';

/** Options of {@link autoregressivePictures}. */
export interface AutoregressivePictureOptions {
  /** Reconstructed test images (default 16, one pair of rows). */
  readonly reconstructions?: number;
  /** Latents traversed, the most active first (default 4). */
  readonly latents?: number;
  /** Points per traversal over [−3, 3] (default 7). */
  readonly steps?: number;
  readonly seed: number;
  readonly threads?: number;
}

/** p(x_i = 1 | x_<i, z) (Bernoulli) or μ_i of each drawn pixel, from the sampler's parameters [n, P·D]. */
function drawnMeans(model: PixelVAE, parameters: Float32Array, n: number): Float32Array {
  const D = model.dataSize;
  const P = model.likelihood.outputsPerPixel;
  const bernoulli = model.config.decoder === 'bernoulli';
  const out = new Float32Array(n * D);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < D; i++) {
      const v = parameters[b * P * D + i];
      out[b * D + i] = bernoulli ? 1 / (1 + Math.exp(-v)) : v;
    }
  }
  return out;
}

/**
 * Writes reconstructions.png (inputs above their pixel-by-pixel reconstructions at z = μ(x)) and
 * traversals.png for a PixelVAE. `inputs` [≥ r, D] are model inputs, `mu` [≥ r, d] their posterior means
 * (E_q[z_T|x] with a flow), `order` the latents by activity.
 */
export async function autoregressivePictures(
  model: PixelVAE,
  inputs: Float32Array,
  mu: Float32Array,
  order: readonly number[],
  img: ImageShape,
  dir: string,
  o: AutoregressivePictureOptions,
): Promise<Picture[]> {
  const D = model.dataSize;
  const d = model.latentSize;
  const r = Math.min(o.reconstructions ?? 16, Math.floor(inputs.length / D), Math.floor(mu.length / d));
  const lats = order.slice(0, Math.min(d, o.latents ?? 4));
  const steps = o.steps ?? 7;
  const span = 3;
  const n = r + lats.length * steps;
  const z = new Float32Array(n * d);
  z.set(mu.subarray(0, r * d));
  lats.forEach((lat, row) => {
    for (let s = 0; s < steps; s++) z[(r + row * steps + s) * d + lat] = -span + (2 * span * s) / (steps - 1);
  });
  const drawn = await sampleAutoregressive(model, z, n, { seed: o.seed, threads: o.threads, commonNoise: true });
  const means = drawnMeans(model, drawn.parameters, n);
  const pics: Picture[] = [];
  if (r > 0) {
    const grid = new Float32Array(2 * r * D);
    grid.set(inputs.subarray(0, r * D));
    grid.set(means.subarray(0, r * D), r * D);
    pics.push({
      file: 'reconstructions.png',
      title: 'Reconstructions (pixel by pixel)',
      ...writeImageGrid(join(dir, 'reconstructions.png'), grid, img, { rows: 2, cols: r, groupRows: 2 }),
      caption: `Test images x (upper row) and a pixel-by-pixel draw x̃ ~ p(x|z = μ(x)) below, shown as p(x̃_i = 1 | x̃_<i, z) along the draw: the autoregressive decoder has no one-pass mean; what z keeps is what survives (common random numbers across images).`,
    });
  }
  if (lats.length > 0) {
    pics.push({
      file: 'traversals.png',
      title: 'Latent traversals (pixel by pixel)',
      ...writeImageGrid(join(dir, 'traversals.png'), means.subarray(r * D), img, { rows: lats.length, cols: steps }),
      caption: `One latent from −${span} to ${span} (${steps} steps) with the others at 0, each image drawn pixel by pixel from p(x|z) with the same random numbers, shown as p(x_i = 1 | x_<i, z); rows are latents ${lats.map((l) => `z${l}`).join(', ')}, most active first. A decoder that ignores z draws the same image along a row.`,
    });
  }
  return pics;
}
