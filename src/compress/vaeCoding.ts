/**
 * A trained VAE as a {@link BitsBackModel}: its encoder gives q(z|x) = N(μ, σ²) on the prior's
 * equal-mass buckets, its decoder (read at the buckets' centres) gives p(x|z) over pixel values
 * quantised at a fixed precision. Both networks run as onnxruntime graphs of batch 1 with a fixed
 * thread count, compress and decompress alike, so the float32 outputs, and hence the quantised
 * frequencies (a deterministic float64 function of them), are bit-identical on both sides.
 */
import { input } from '../engine/ops.js';
import { ModelGraph } from '../eval/graphs.js';
import { VAE } from '../models/vae.js';
import type { LatentVariableModel } from '../models/types.js';
import { BETA_BINOMIAL_MIN, BETA_BINOMIAL_N } from '../distributions/betaBinomial.js';
import { LOGISTIC_HALF_BIN, LOGISTIC_MIN_LOG_SCALE, LOGISTIC_UNIFORM_WEIGHT } from '../distributions/discretizedLogistic.js';
import type { BitsBackModel } from './bitsBack.js';
import { bernoulliCdf, quantiseCdf, type QuantisedCdf } from './codecs.js';
import { CompressError } from './errors.js';
import { LatentBuckets } from './latentBuckets.js';

/** The decoders whose p(x|z) is a probability mass over pixel values, and so can code them. */
export const CODABLE_DECODERS = ['bernoulli', 'discretized-logistic', 'beta-binomial'] as const;
/** One of {@link CODABLE_DECODERS}. */
export type CodableDecoder = (typeof CODABLE_DECODERS)[number];

/** The precisions of the coder (all recorded in a compressed file's header). */
export interface Precisions {
  /** log2 of the number of equal-mass buckets per latent. */
  readonly latentBits: number;
  /** Precision of q(z|x) on the buckets. */
  readonly posterior: number;
  /** Precision of p(x|z) per pixel. */
  readonly likelihood: number;
}

/** The default precisions: 2^10 buckets per latent, 2^28 for q(z|x), 2^24 for p(x|z) (measured: finer buckets or precisions gain nothing on MNIST). */
export const DEFAULT_PRECISIONS: Precisions = { latentBits: 10, posterior: 28, likelihood: 24 };

/** The decoder kind of a model that can be used for lossless coding, or a {@link CompressError} saying why not. */
export function codableDecoder(model: LatentVariableModel): { vae: VAE; decoder: CodableDecoder } {
  if (!(model instanceof VAE))
    throw new CompressError('compression needs a VAE (--model vae or iwae): the posterior must be one diagonal Gaussian layer');
  const c = model.config;
  if (c.prior !== 'standard')
    throw new CompressError(`compression needs the standard normal prior (its equal-mass buckets code z), got --prior ${c.prior}`);
  if (c.flowSteps > 0) throw new CompressError('compression needs a diagonal Gaussian posterior: the run uses an IAF (flowSteps > 0)');
  if (!(CODABLE_DECODERS as readonly string[]).includes(c.decoder)) {
    throw new CompressError(
      `lossless compression needs a discrete likelihood (--decoder bernoulli for binary images, beta-binomial or discretized-logistic for 8-bit grey levels), the run's decoder is ${c.decoder}`,
    );
  }
  return { vae: model, decoder: c.decoder as CodableDecoder };
}

/** The VAE's networks at batch 1, compiled once: x → (μ, log σ²) and z → decoder outputs. */
export class VaeNetworks {
  /** Seconds spent in onnxruntime runs so far (to say where the coding time goes). */
  seconds = 0;

  private constructor(
    readonly vae: VAE,
    private readonly encoder: ModelGraph,
    private readonly decoder: ModelGraph,
  ) {}

  /** Compiles both graphs with `threads` onnxruntime threads. */
  static async create(vae: VAE, threads: number): Promise<VaeNetworks> {
    const x = input('x', [1, vae.dataSize]);
    const q = vae.encoder(x);
    const encoder = await ModelGraph.compile([x], { mu: q.mu, logVar: q.logVar }, [], threads);
    const z = input('z', [1, vae.latentSize]);
    const decoder = await ModelGraph.compile([z], { out: vae.decoder(z) }, [], threads);
    return new VaeNetworks(vae, encoder, decoder);
  }

  /** μ(x) and log σ²(x) for one model input x [D]. */
  async encode(x: Float32Array): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const t0 = performance.now();
    const r = await this.encoder.run({ x });
    this.seconds += (performance.now() - t0) / 1000;
    return { mu: r.mu, logVar: r.logVar };
  }

  /** The decoder network's raw outputs at z [d] (P·D numbers: logits, or μ then log s). */
  async decode(z: Float32Array): Promise<Float32Array> {
    const t0 = performance.now();
    const out = (await this.decoder.run({ z })).out;
    this.seconds += (performance.now() - t0) / 1000;
    return out;
  }
}

const KEEP = 1 - LOGISTIC_UNIFORM_WEIGHT;

/** p(x_i|z) over {0, 1} from the decoder's logits. */
function bernoulliPixels(out: Float32Array, D: number, precision: number): QuantisedCdf[] {
  const cdfs = new Array<QuantisedCdf>(D);
  for (let i = 0; i < D; i++) cdfs[i] = bernoulliCdf(1 / (1 + Math.exp(-out[i])), precision);
  return cdfs;
}

/** p(x_i|z) over the 256 grey levels: F(k) = (1 − ε)σ(((k − ½)/255 − μ)/s) + εk/256, the likelihood's CDF at bin edges. */
function logisticPixels(out: Float32Array, D: number, precision: number): QuantisedCdf[] {
  const cdfs = new Array<QuantisedCdf>(D);
  for (let i = 0; i < D; i++) {
    const mu = out[i];
    const invS = Math.exp(-Math.max(out[D + i], LOGISTIC_MIN_LOG_SCALE));
    cdfs[i] = quantiseCdf(
      256,
      precision,
      (k) => KEEP / (1 + Math.exp(-((k / 255 - LOGISTIC_HALF_BIN - mu) * invS))) + (LOGISTIC_UNIFORM_WEIGHT * k) / 256,
    );
  }
  return cdfs;
}

/** softplus(a) in float64, stable for any a. */
const softplus = (a: number): number => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));

/**
 * p(x_i|z) over the 256 grey levels under BetaBin(n = 255; α, β): the masses by the recurrence
 * P(k+1)/P(k) = (n − k)(k + α) / ((k + 1)(n − k − 1 + β)) from P(0) ∝ 1, normalised by their sum
 * (rescaled when they grow large), then cumulated. Σ over 256 levels per pixel, no log Γ needed.
 */
function betaBinomialPixels(out: Float32Array, D: number, precision: number): QuantisedCdf[] {
  const n = BETA_BINOMIAL_N;
  const cdfs = new Array<QuantisedCdf>(D);
  const w = new Float64Array(n + 1);
  // One buffer for all pixels' cumulative masses (allocating 784 small arrays per image costs more than the sums).
  const cums = new Float64Array(D * (n + 2));
  for (let i = 0; i < D; i++) {
    const alpha = softplus(out[i]) + BETA_BINOMIAL_MIN;
    const beta = softplus(out[D + i]) + BETA_BINOMIAL_MIN;
    w[0] = 1;
    for (let k = 0; k < n; k++) {
      w[k + 1] = (w[k] * ((n - k) * (k + alpha))) / ((k + 1) * (n - k - 1 + beta));
      if (w[k + 1] > 1e250) for (let j = 0; j <= k + 1; j++) w[j] *= 1e-250;
    }
    const cum = cums.subarray(i * (n + 2), (i + 1) * (n + 2));
    for (let k = 0; k <= n; k++) cum[k + 1] = cum[k] + w[k];
    const total = cum[n + 1];
    cdfs[i] = quantiseCdf(n + 1, precision, (k) => cum[k] / total);
  }
  return cdfs;
}

/** Per-pixel quantised p(x|z) from the decoder network's outputs, by decoder. */
const PIXELS: Record<CodableDecoder, (out: Float32Array, D: number, precision: number) => QuantisedCdf[]> = {
  bernoulli: bernoulliPixels,
  'discretized-logistic': logisticPixels,
  'beta-binomial': betaBinomialPixels,
};

/** Options of {@link vaeBitsBackModel}. */
export interface VaeCodingOptions {
  readonly precisions?: Precisions;
  /** Called with each x's q(z|x) parameters (for rate accounting), in coding order. */
  readonly onPosterior?: (mu: Float32Array, logVar: Float32Array) => void;
}

/** The {@link BitsBackModel} of a trained VAE over data symbols (0/1 pixels, or grey levels 0..255). */
export function vaeBitsBackModel(nets: VaeNetworks, decoder: CodableDecoder, opts: VaeCodingOptions = {}): BitsBackModel {
  const p = opts.precisions ?? DEFAULT_PRECISIONS;
  const buckets = new LatentBuckets(p.latentBits, p.posterior);
  const D = nets.vae.dataSize;
  const d = nets.vae.latentSize;
  const scale = decoder === 'bernoulli' ? 1 : 1 / 255;
  const xIn = new Float32Array(D);
  const zIn = new Float32Array(d);
  const prior = Array.from({ length: d }, () => buckets.prior);
  return {
    latentSize: d,
    dataSize: D,
    prior: () => prior,
    posterior: async (x) => {
      for (let i = 0; i < D; i++) xIn[i] = x[i] * scale;
      const { mu, logVar } = await nets.encode(xIn);
      opts.onPosterior?.(mu, logVar);
      return Array.from({ length: d }, (_, j) => buckets.posterior(mu[j], Math.exp(0.5 * logVar[j])));
    },
    likelihood: async (z) => {
      for (let j = 0; j < d; j++) zIn[j] = buckets.centres[z[j]];
      const out = await nets.decode(zIn);
      return PIXELS[decoder](out, D, p.likelihood);
    },
  };
}
