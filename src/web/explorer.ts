/**
 * The latent explorer of one trained run, server-side: the run's model with its checkpoint's
 * parameters, decoding any latent point through the report's {@link Decoder} graph (so the page and
 * the report share one decoding path, and the page needs no onnxruntime-web or model download), and
 * the first test examples encoded once with q(z|x).
 */
import { Random } from '../engine/random.js';
import { encodeSource, type Encoded } from '../eval/encode.js';
import { drawFromDecoder } from '../models/generate.js';
import { imageGridPng, imageShape, type ImageShape } from '../report/canvas.js';
import { byActivity, varianceLaw, type VarianceLawRow } from '../report/latents.js';
import { Decoder } from '../report/pictures.js';
import { loadRun } from '../train/experiment.js';
import { UserError } from '../engine/errors.js';

/** How a latent point becomes an image (seed 004): x ~ p(x|z), μ_x(z), or μ_x(z) + α σ_x(z). */
export type DecodeMode = 'ancestral' | 'mean' | 'alpha';

/** What the page needs to draw the explorer. */
export interface ExplorerInfo {
  /** Latent size d. */
  readonly d: number;
  /** The two latents of the plane: (0, 1) for d = 2, else the two with the largest Var_x[μ(x)]. */
  readonly plane: readonly [number, number];
  /** Whether the decoder has σ_x(z) (Gaussian decoders: the α mode exists). */
  readonly gaussian: boolean;
  readonly image: ImageShape;
  /** Per latent E_x[σ²(x)], Var_x[μ(x)] and KL over the encoded examples (seed 000's variance law). */
  readonly law: readonly VarianceLawRow[] | null;
  /** The encoded test examples: μ on the plane latents and the label, for the background scatter. */
  readonly points: ReadonlyArray<{ x: number; y: number; label: number }>;
  /** How many test examples can be encoded ({@link ModelExplorer.encoded}). */
  readonly examples: number;
}

/** One test example under q(z|x). */
export interface EncodedExample {
  readonly index: number;
  readonly label: number | null;
  /** μ(x) and σ(x), d values each. */
  readonly mu: number[];
  readonly sigma: number[];
}

/** Pixel magnification of decoded images: MNIST's 28 pixels become 168. */
const SCALE = 6;

/** A loaded run, ready to decode latent points and show encoded test examples. */
export class ModelExplorer {
  private constructor(
    private readonly decoder: Decoder,
    private readonly enc: Encoded,
    readonly info: ExplorerInfo,
  ) {}

  /** Loads the run in `dir` (final checkpoint, else latest) and encodes its first `n` test examples (default 1,000). */
  static async load(dir: string, opts: { n?: number; threads?: number } = {}): Promise<ModelExplorer> {
    const { model, config, data } = await loadRun(dir).catch((e: unknown) => {
      // a folder without config.json, or one that does not parse, is the run's problem, not a bug
      if (!(e instanceof UserError)) throw e;
      throw new UserError(`cannot load the run in ${dir}: ${e.message}`);
    });
    const img = imageShape(config.model.dataShape);
    if (!img) throw new UserError(`the run's data (shape [${config.model.dataShape.join(', ')}]) are not images: nothing to explore`);
    const source = data.test ?? data.validation ?? data.train;
    const n = opts.n ?? 1000;
    const threads = opts.threads ?? 1;
    const enc = await encodeSource(model, source, { n, preprocess: data.preprocess, seed: config.train.seed, threads, keep: n });
    const d = model.latentSize;
    const law = model.deterministic ? null : varianceLaw(enc);
    const order = law ? byActivity(law) : Array.from({ length: d }, (_, i) => i);
    const plane: [number, number] = d === 1 ? [0, 0] : d === 2 ? [0, 1] : [order[0], order[1]];
    const points = Array.from({ length: enc.n }, (_, r) => ({
      x: enc.mu[r * d + plane[0]],
      y: enc.mu[r * d + plane[1]],
      label: enc.labels ? enc.labels[r] : -1,
    }));
    const decoder = await Decoder.create(model, threads);
    return new ModelExplorer(decoder, enc, { d, plane, gaussian: decoder.gaussian, image: img, law, points, examples: enc.n });
  }

  /**
   * The PNG of latent point `z` (d values) decoded as `mode`: ancestral x ~ p(x|z) (drawn with
   * `seed`), the mean μ_x(z), or μ_x(z) + α σ_x(z) (seed 004, Figure 5.15; Gaussian decoders only).
   */
  async decode(z: readonly number[], mode: DecodeMode, alpha = 0.5, seed = 0): Promise<Buffer> {
    const { d } = this.info;
    if (z.length !== d || !z.every(Number.isFinite)) throw new UserError(`a latent point needs ${d} finite numbers, got ${z.length}`);
    if (mode === 'alpha' && !this.info.gaussian)
      throw new UserError("mode 'alpha' (μ_x + α σ_x) needs a Gaussian decoder; this run's decoder has no σ_x");
    const { mean, std } = await this.decoder.decode(Float32Array.from(z));
    const D = mean.length;
    let x: Float32Array = mean;
    if (mode === 'ancestral') x = drawFromDecoder(mean, std, new Random(seed));
    else if (mode === 'alpha' && std) x = mean.map((m, i) => m + alpha * std[i]);
    return imageGridPng(x.subarray(0, D), this.info.image, { rows: 1, cols: 1, scale: SCALE, gap: 0 }).png;
  }

  /** Test example `i` as q(z|x) sees it: its μ(x), σ(x) and label. */
  encoded(i: number): EncodedExample {
    const { d } = this.info;
    if (!Number.isInteger(i) || i < 0 || i >= this.enc.n) throw new UserError(`test example ${i} is out of range: 0 to ${this.enc.n - 1}`);
    const mu = Array.from(this.enc.mu.subarray(i * d, (i + 1) * d));
    const sigma = Array.from(this.enc.sigma2.subarray(i * d, (i + 1) * d), Math.sqrt);
    return { index: i, label: this.enc.labels ? this.enc.labels[i] : null, mu, sigma };
  }

  /** The PNG of test example `i`, the input the model encoded. */
  exampleImage(i: number): Buffer {
    this.encoded(i);
    const D = this.enc.inputs.length / this.enc.n;
    return imageGridPng(this.enc.inputs.subarray(i * D, (i + 1) * D), this.info.image, { rows: 1, cols: 1, scale: SCALE, gap: 0 }).png;
  }
}
