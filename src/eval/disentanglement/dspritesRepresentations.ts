/**
 * Representations of dSprites images, for the metrics: a model's posterior means μ(x) (trained or
 * untrained), the raw pixels and their PCA (the baselines of Higgins et al. 2017, table 1). Each one
 * renders the images of the factor rows it is given (dSprites is generated, never stored).
 */
import { input } from '../../engine/ops.js';
import { DSPRITES_FACTORS, DSPRITES_SIDE, DSPRITES_SIZES, dspritesImage, dspritesIndex } from '../../data/dsprites.js';
import type { LatentVariableModel } from '../../models/types.js';
import { ModelGraph } from '../graphs.js';
import { noiseInputs } from '../../models/noise.js';
import type { FactorSpace, Representation } from './factors.js';
import { fitPca, pcaTransform } from '../pca.js';
import { Random } from '../../engine/random.js';
import { sampleFactors } from './factors.js';

/** dSprites' five factors (shape, scale, orientation, posX, posY) as a factor space. */
export const DSPRITES_SPACE: FactorSpace = { names: DSPRITES_FACTORS, sizes: DSPRITES_FACTORS.map((f) => DSPRITES_SIZES[f]) };

const PIXELS = DSPRITES_SIDE * DSPRITES_SIDE;

/** Renders the images of `n` factor rows [n, 5] into `out` [n, 4096] as 0/1 floats. */
export function renderFactorRows(
  factors: Int32Array,
  n: number,
  out: Float32Array<ArrayBuffer> = new Float32Array(n * PIXELS),
  scratch = new Uint8Array(PIXELS),
): Float32Array<ArrayBuffer> {
  for (let i = 0; i < n; i++) {
    const f = factors.subarray(i * 5, i * 5 + 5);
    dspritesImage(dspritesIndex({ shape: f[0], scale: f[1], orientation: f[2], posX: f[3], posY: f[4] }), scratch, 0);
    for (let p = 0; p < PIXELS; p++) out[i * PIXELS + p] = scratch[p];
  }
  return out;
}

/** The raw pixels as codes (size 4,096). */
export function pixelRepresentation(): Representation {
  return { name: 'raw pixels', size: PIXELS, encode: (factors, n) => Promise.resolve(renderFactorRows(factors, n)) };
}

/** The top `k` principal components of `fitN` random dSprites images (Higgins et al.: as many as the model's latents). */
export async function pcaRepresentation(k: number, opts: { fitN?: number; seed?: number; threads?: number } = {}): Promise<Representation> {
  const n = opts.fitN ?? 5000;
  const pca = await fitPca(renderFactorRows(sampleFactors(DSPRITES_SPACE, n, new Random(opts.seed ?? 11)), n), n, PIXELS, k, {
    threads: opts.threads,
  });
  return {
    name: `PCA (${k} components)`,
    size: k,
    encode: (factors, m) => Promise.resolve(pcaTransform(pca, renderFactorRows(factors, m), m)),
  };
}

/** Options of {@link modelRepresentation}. */
export interface ModelRepresentationOptions {
  /** Images per encoder run (default 256). */
  readonly batch?: number;
  readonly threads?: number;
  readonly name?: string;
}

/**
 * The posterior means μ(x) of `model` (an encoder-only graph: the decoder is not run), with its
 * current parameters: trained after loading a checkpoint, untrained straight from `createModel`.
 */
export async function modelRepresentation(model: LatentVariableModel, opts: ModelRepresentationOptions = {}): Promise<Representation> {
  const B = opts.batch ?? 256;
  const x = input('x', [B, model.dataSize]);
  const specs = model.noise(B, 1);
  const t = model.terms(x, noiseInputs(specs), 1);
  const graph = await ModelGraph.compile([x], { mu: t.posteriorMean }, [], opts.threads);
  const d = model.latentSize;
  return {
    name: opts.name ?? 'model μ(x)',
    size: d,
    encode: async (factors, n) => {
      const out = new Float32Array(n * d);
      const buffers = [new Float32Array(B * PIXELS), new Float32Array(B * PIXELS)];
      const render = (start: number, buf: Float32Array<ArrayBuffer>): void => {
        const m = Math.min(B, n - start);
        renderFactorRows(factors.subarray(start * 5), m, buf);
        if (m < B) buf.fill(0, m * PIXELS);
      };
      // Double buffering: the next batch is drawn while onnxruntime encodes this one off the JS thread.
      if (n > 0) render(0, buffers[0]);
      for (let start = 0, i = 0; start < n; start += B, i = 1 - i) {
        const running = graph.run({ x: buffers[i] }, ['mu']);
        if (start + B < n) render(start + B, buffers[1 - i]);
        const r = await running;
        out.set(r.mu.subarray(0, Math.min(B, n - start) * d), start * d);
      }
      return out;
    },
  };
}
