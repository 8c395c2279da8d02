/**
 * The report's image grids (seed 004 §5.3): reconstructions μ_x(μ_z(x)) under their inputs, prior
 * samples three ways (ancestral x ~ p(x|z), deterministic μ_x(z), and μ_x(z) + α σ_x(z) for
 * Gaussian decoders), latent traversals, and for 2-D latent spaces the decoded manifold.
 */
import { join } from 'node:path';
import { input } from '../engine/ops.js';
import { GraphFunction } from '../engine/function.js';
import { reconstruct } from '../models/generate.js';
import type { LatentVariableModel } from '../models/types.js';
import { drawPriorSamples, shiftedByStd } from '../eval/sample.js';
import { CHUNK, runInChunks, type LatentDecoder as Decoder } from '../eval/decode.js';
import { squareLayout, writeImageGrid, type ImageShape } from './canvas.js';
import { normalQuantile } from './latents.js';

/** Decodes latent points (the report's traversals and manifold). */
export { LatentDecoder as Decoder } from '../eval/decode.js';

/** A picture written into the report folder. */
export interface Picture {
  /** File name inside report/. */
  readonly file: string;
  readonly title: string;
  /** One line saying what it shows and which seed it comes from. */
  readonly caption: string;
  readonly width: number;
  readonly height: number;
}

/** Reconstructions: `pairs` pairs of rows, inputs x above μ_x(μ_z(x)) (seed 004, Figures 5.10–5.14). */
export async function reconstructions(
  model: LatentVariableModel,
  inputs: Float32Array,
  img: ImageShape,
  dir: string,
  cols: number,
  threads?: number,
): Promise<Picture> {
  const D = model.dataSize;
  const x = input('x', [CHUNK, D]);
  const fn = await GraphFunction.create({ inputs: [x], outputs: { rec: reconstruct(model, x) }, name: 'report-reconstruct' }, { threads });
  const n = Math.floor(inputs.length / D);
  const pairs = Math.floor(n / cols);
  const rec = (await runInChunks(fn, 'x', inputs.subarray(0, pairs * cols * D), D, ['rec'])).rec;
  const grid = new Float32Array(2 * pairs * cols * D);
  for (let p = 0; p < pairs; p++) {
    grid.set(inputs.subarray(p * cols * D, (p + 1) * cols * D), 2 * p * cols * D);
    grid.set(rec.subarray(p * cols * D, (p + 1) * cols * D), (2 * p + 1) * cols * D);
  }
  const size = writeImageGrid(join(dir, 'reconstructions.png'), grid, img, { rows: 2 * pairs, cols, groupRows: 2 });
  return {
    file: 'reconstructions.png',
    title: 'Reconstructions',
    ...size,
    caption: `Test images x (upper row of each pair, as the model sees them) and their reconstructions μ_x(μ_z(x)), the decoder mean at the posterior mean (seed 004, Figures 5.10–5.14).`,
  };
}

/** Options of {@link samples}. */
export interface SampleGridOptions {
  readonly n: number;
  readonly alpha: number;
  readonly seed: number;
  readonly threads?: number;
}

/**
 * Prior samples z ~ p(z) decoded three ways with the SAME z: ancestral x ~ p(x|z), deterministic
 * μ_x(z) and, for Gaussian decoders, μ_x(z) + α σ_x(z) (seed 004, Algorithms 6–7 and Figure 5.15).
 */
export async function samples(model: LatentVariableModel, img: ImageShape, dir: string, o: SampleGridOptions): Promise<Picture[]> {
  const s = await drawPriorSamples(model, o);
  const layout = squareLayout(o.n);
  const pics: Picture[] = [];
  const add = (file: string, title: string, images: Float32Array, caption: string) =>
    pics.push({ file, title, caption, ...writeImageGrid(join(dir, file), images, img, layout) });
  add(
    'samples-ancestral.png',
    'Ancestral samples',
    s.ancestral,
    `Ancestral sampling: z ~ p(z), then x ~ p(x|z) (${s.std ? 'μ_x(z) + σ_x(z) ε per pixel' : 'a Bernoulli draw per pixel'}); seed 004, Algorithm 6.`,
  );
  add(
    'samples-mean.png',
    'Deterministic samples μ_x(z)',
    s.mean,
    'Deterministic sampling: the decoder mean μ_x(z) at the same z (seed 004, Algorithm 7).',
  );
  if (s.std) {
    add(
      'samples-alpha.png',
      `Samples μ_x(z) + ${o.alpha} σ_x(z)`,
      shiftedByStd(s, o.alpha),
      `μ_x(z) + α σ_x(z) with α = ${o.alpha} at the same z: every pixel at the same quantile of its Gaussian (seed 004, Figure 5.15).`,
    );
  }
  return pics;
}

/** Latent traversals: for each latent in `latents`, z_i over [−range, range] (`steps` points) with the others at 0. */
export async function traversals(
  decoder: Decoder,
  d: number,
  latents: readonly number[],
  img: ImageShape,
  dir: string,
  steps = 11,
  span = 3,
  file = 'traversals.png',
): Promise<Picture> {
  const z = new Float32Array(latents.length * steps * d);
  latents.forEach((lat, r) => {
    for (let s = 0; s < steps; s++) z[(r * steps + s) * d + lat] = -span + (2 * span * s) / (steps - 1);
  });
  const { mean } = await decoder.decode(z);
  const size = writeImageGrid(join(dir, file), mean, img, { rows: latents.length, cols: steps });
  return {
    file,
    title: 'Latent traversals',
    ...size,
    caption: `μ_x(z) as one latent goes from −${span} to ${span} (${steps} steps) with the others at 0; rows are latents ${latents.map((l) => `z${l}`).join(', ')}, most active first (Var μ, seed 003).`,
  };
}

/**
 * The decoded latent manifold of a 2-D latent space: μ_x(z) on a `k` × `k` grid at the Gaussian
 * quantiles z = Φ⁻¹((i + ½)/k), z₀ left to right, z₁ bottom to top (seed 004, Figure 5.17).
 */
export async function manifold(decoder: Decoder, img: ImageShape, dir: string, k = 20): Promise<Picture> {
  const z = new Float32Array(k * k * 2);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      z[(r * k + c) * 2] = normalQuantile((c + 0.5) / k);
      z[(r * k + c) * 2 + 1] = normalQuantile((k - r - 0.5) / k);
    }
  }
  const { mean } = await decoder.decode(z);
  const size = writeImageGrid(join(dir, 'manifold.png'), mean, img, { rows: k, cols: k, scale: 1, gap: 1 });
  return {
    file: 'manifold.png',
    title: 'Decoded latent manifold',
    ...size,
    caption: `μ_x(z) on a ${k}×${k} grid at the Gaussian quantiles Φ⁻¹((i + ½)/${k}): z0 left to right, z1 bottom to top (seed 004, Figure 5.17).`,
  };
}
