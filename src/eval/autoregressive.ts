/**
 * Pixel-by-pixel sampling from an autoregressive decoder (PixelVAE): x_i ~ p(x_i | x_<i, z) in raster
 * order, batched over images. Pixel i depends on rows i−up..i only (the PixelCNN's receptive field), so
 * each run feeds that band of rows instead of the whole image; the map h(z) is computed once.
 */
import { input } from '../engine/ops.js';
import { UserError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import type { PixelVAE } from '../models/pixelvae.js';
import { ModelGraph } from './graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';

/** Images drawn by {@link sampleAutoregressive}, with what each pixel was drawn from. */
export interface AutoregressiveSamples {
  /** x [n, D], row-major, channels first per image. */
  readonly x: Float32Array;
  /** The decoder's parameters for each pixel at the moment it was drawn, [n, P·D] (logits, or μ then log σ²). */
  readonly parameters: Float32Array;
}

/** Options of {@link sampleAutoregressive}. */
export interface AutoregressiveOptions {
  readonly seed?: number;
  readonly threads?: number;
  /**
   * Common random numbers: one draw per pixel shared by every image (x_i = [u_i < p_i] or μ_i + σ_i ε_i with
   * the same u_i, ε_i), so that images of one batch differ only through z (traversals, reconstructions).
   */
  readonly commonNoise?: boolean;
}

/**
 * Draws x ~ p(x|z) for each row of z [n, d] pixel by pixel (Bernoulli per pixel, or N(μ, σ²) for the
 * 'gaussian' decoder); reproducible from `seed`.
 */
export async function sampleAutoregressive(
  model: PixelVAE,
  z: Float32Array,
  n: number,
  opts: AutoregressiveOptions = {},
): Promise<AutoregressiveSamples> {
  const decoder = model.config.decoder;
  if (decoder !== 'bernoulli' && decoder !== 'gaussian') {
    throw new UserError(`pixel-by-pixel sampling supports the 'bernoulli' and 'gaussian' decoders, got '${decoder}'`);
  }
  const [C, H, W] = model.config.dataShape;
  const Cz = model.config.condChannels;
  const P = model.likelihood.outputsPerPixel;
  const D = C * H * W;
  const band = Math.min(H, model.pixelCnn.receptiveField.up + 1);
  const zIn = input('z', [n, model.latentSize]);
  const condGraph = await ModelGraph.compile([zIn], { cond: model.decoder(zIn) }, [], opts.threads);
  const { cond } = await condGraph.run({ z });
  const xIn = input('x', [n, C, band, W]);
  const hIn = input('h', [n, Cz, band, W]);
  const pixelGraph = await ModelGraph.compile([xIn, hIn], { out: model.pixelCnn.apply(xIn, hIn) }, [], opts.threads);

  const rng = new Random(opts.seed ?? 0);
  const x = new Float32Array(n * D);
  const parameters = new Float32Array(n * P * D);
  const xBand = new Float32Array(n * C * band * W);
  const hBand = new Float32Array(n * Cz * band * W);
  // Copies rows [top, top + band) of every image's channels into a band buffer.
  const crop = (src: Float32Array, dst: Float32Array, ch: number, top: number): void => {
    for (let b = 0; b < n; b++) {
      for (let c = 0; c < ch; c++) {
        const from = ((b * ch + c) * H + top) * W;
        dst.set(src.subarray(from, from + band * W), (b * ch + c) * band * W);
      }
    }
  };
  for (let i = 0; i < H; i++) {
    const top = Math.max(0, Math.min(i - band + 1, H - band));
    crop(cond, hBand, Cz, top);
    for (let j = 0; j < W; j++) {
      crop(x, xBand, C, top);
      const { out } = await pixelGraph.run({ x: xBand, h: hBand });
      const draw = (): number => (decoder === 'bernoulli' ? rng.uniform() : rng.normal());
      const shared = opts.commonNoise ? Array.from({ length: C }, draw) : null;
      for (let b = 0; b < n; b++) {
        for (let c = 0; c < C; c++) {
          const at = (c * H + i) * W + j;
          const read = (p: number): number => out[((b * P + p) * C + c) * band * W + (i - top) * W + j];
          for (let p = 0; p < P; p++) parameters[b * P * D + p * D + at] = read(p);
          const u = shared ? shared[c] : draw();
          x[b * D + at] = decoder === 'bernoulli' ? (u < 1 / (1 + Math.exp(-read(0))) ? 1 : 0) : read(0) + Math.exp(0.5 * read(1)) * u;
        }
      }
    }
  }
  return { x, parameters };
}

/** z ~ p(z) for n draws (seeded), then {@link sampleAutoregressive}. */
export async function samplePixelVaePrior(
  model: PixelVAE,
  n: number,
  opts: { seed?: number; threads?: number } = {},
): Promise<AutoregressiveSamples & { z: Float32Array }> {
  const specs = model.priorNoise(n);
  const noise = noiseInputs(specs);
  const g = await ModelGraph.compile(Object.values(noise), { z: model.samplePrior(noise, n) }, specs, opts.threads);
  const rng = new Random(opts.seed ?? 0);
  const { z } = await g.run(drawNoise(specs, rng));
  return { z, ...(await sampleAutoregressive(model, z, n, { ...opts, seed: (opts.seed ?? 0) + 1 })) };
}
