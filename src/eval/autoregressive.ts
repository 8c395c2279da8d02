/**
 * Pixel-by-pixel sampling from an autoregressive decoder (PixelVAE): x_i ~ p(x_i | x_<i, z) in raster
 * order, batched over images. The gated PixelCNN's vertical stack at row i reads only the rows above, so
 * it runs once per row, on the band of rows its receptive field covers (`verticalLinks`); then each pixel
 * of the row runs only the horizontal stacks and the head on that one row (`rowOutput`). The map h(z) is
 * computed once.
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
  const net = model.pixelCnn;
  const band = Math.min(H, net.receptiveField.up + 1);
  const zIn = input('z', [n, model.latentSize]);
  const condGraph = await ModelGraph.compile([zIn], { cond: model.decoder(zIn) }, [], opts.threads);
  const { cond } = await condGraph.run({ z });
  // Once per row: every block's vertical link on the band of rows ending at (or containing) the row.
  const xIn = input('x', [n, C, band, W]);
  const hIn = input('h', [n, Cz, band, W]);
  const links = net.verticalLinks(xIn, hIn);
  const linkNames = links.map((_, l) => `link${l}`);
  const verticalGraph = await ModelGraph.compile([xIn, hIn], Object.fromEntries(links.map((t, l) => [linkNames[l], t])), [], opts.threads);
  // Once per pixel: the horizontal stacks and the head on that row alone.
  const xRowIn = input('xRow', [n, C, 1, W]);
  const hRowIn = input('hRow', [n, Cz, 1, W]);
  const linkRowIns = links.map((t, l) => input(linkNames[l], [n, t.shape[1], 1, W]));
  const rowGraph = await ModelGraph.compile(
    [xRowIn, hRowIn, ...linkRowIns],
    { out: net.rowOutput(xRowIn, linkRowIns, hRowIn) },
    [],
    opts.threads,
  );

  const rng = new Random(opts.seed ?? 0);
  const x = new Float32Array(n * D);
  const parameters = new Float32Array(n * P * D);
  const xBand = new Float32Array(n * C * band * W);
  const hBand = new Float32Array(n * Cz * band * W);
  const xRow = new Float32Array(n * C * W);
  const hRow = new Float32Array(n * Cz * W);
  const linkRows = linkRowIns.map((t) => new Float32Array(n * t.shape[1] * W));
  // Copies `rows` rows of every image's `ch` channels from row `from` of src (height `srcH`) into dst (height `rows`).
  const crop = (src: Float32Array, srcH: number, dst: Float32Array, ch: number, from: number, rows: number): void => {
    for (let b = 0; b < n; b++) {
      for (let c = 0; c < ch; c++) {
        const at = ((b * ch + c) * srcH + from) * W;
        dst.set(src.subarray(at, at + rows * W), (b * ch + c) * rows * W);
      }
    }
  };
  for (let i = 0; i < H; i++) {
    const top = Math.max(0, Math.min(i - band + 1, H - band));
    crop(cond, H, hBand, Cz, top, band);
    crop(x, H, xBand, C, top, band);
    const linkBands = await verticalGraph.run({ x: xBand, h: hBand });
    linkRows.forEach((row, l) => crop(linkBands[linkNames[l]], band, row, linkRowIns[l].shape[1], i - top, 1));
    crop(cond, H, hRow, Cz, i, 1);
    const rowFeeds = { hRow, ...Object.fromEntries(linkNames.map((name, l) => [name, linkRows[l]])) };
    for (let j = 0; j < W; j++) {
      crop(x, H, xRow, C, i, 1);
      const { out } = await rowGraph.run({ xRow, ...rowFeeds });
      const draw = (): number => (decoder === 'bernoulli' ? rng.uniform() : rng.normal());
      const shared = opts.commonNoise ? Array.from({ length: C }, draw) : null;
      for (let b = 0; b < n; b++) {
        for (let c = 0; c < C; c++) {
          const at = (c * H + i) * W + j;
          const read = (p: number): number => out[((b * P + p) * C + c) * W + j];
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
