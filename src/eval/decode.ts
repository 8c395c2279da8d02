/** Decoding latent points: the decoder's mean μ_x(z) and σ_x(z) (Gaussian decoders) for any number of rows. */
import { GraphFunction } from '../engine/function.js';
import { input } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { LatentVariableModel } from '../models/types.js';

/** Rows per graph run. */
export const CHUNK = 100;

/** Runs the one-input graph `fn` over the rows of `rows` ([n, width]) in chunks of {@link CHUNK}, padding the last. */
export async function runInChunks(
  fn: GraphFunction,
  name: string,
  rows: Float32Array,
  width: number,
  outputs: readonly string[],
): Promise<Record<string, Float32Array>> {
  const n = rows.length / width;
  const out: Record<string, Float32Array> = {};
  const feed = new Float32Array(CHUNK * width);
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    feed.fill(0);
    feed.set(rows.subarray(i * width, (i + m) * width));
    const r = await fn.run({ [name]: feed }, outputs);
    for (const k of outputs) {
      const v = r[k] as Float32Array;
      const D = v.length / CHUNK;
      (out[k] ??= new Float32Array(n * D)).set(v.subarray(0, m * D), i * D);
    }
  }
  return out;
}

/** Decodes latent points z (row-major [n, d]) to μ_x(z) and σ_x(z) where the decoder has one. */
export class LatentDecoder {
  private constructor(
    private readonly fn: GraphFunction,
    private readonly d: number,
    /** Whether the decoder has σ_x (Gaussian decoders). */
    readonly gaussian: boolean,
  ) {}

  /** Compiles the decoder of `model` for chunks of {@link CHUNK} rows. */
  static async create(model: LatentVariableModel, threads?: number): Promise<LatentDecoder> {
    const z = input('z', [CHUNK, model.latentSize]);
    const outputs: Record<string, Tensor> = { mean: model.decodeMean(z) };
    const std = model.decodeStd(z);
    if (std) outputs.std = std;
    return new LatentDecoder(
      await GraphFunction.create({ inputs: [z], outputs, name: 'decode-latents' }, { threads }),
      model.latentSize,
      std !== null,
    );
  }

  /** μ_x(z) [n, D] and σ_x(z) [n, D] (null without one). */
  async decode(z: Float32Array): Promise<{ mean: Float32Array; std: Float32Array | null }> {
    const r = await runInChunks(this.fn, 'z', z, this.d, this.gaussian ? ['mean', 'std'] : ['mean']);
    return { mean: r.mean, std: r.std ?? null };
  }
}
