/**
 * The deterministic autoencoder, the baseline the seeds contrast the VAE with (seed 000): z = μ(x),
 * loss = −log p(x|z), no KL. Its log prior and log posterior are 0 and its KL per latent is 0, so every
 * objective reduces to the reconstruction term.
 */
import { constant, expand, reshape, zeros } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';
import { applyFlat } from './gaussianHead.js';
import { createLikelihood, type Likelihood } from './likelihood.js';
import { decoderNet, encoderNet, type Net } from './networks.js';
import { standardNormalPrior, type Prior } from './priors.js';
import type { GeneratedOutputs, LatentVariableModel, ModelTerms, NoiseSpec } from './types.js';
import { decoderDraw, decoderDrawNoise } from './ancestral.js';
import { dataSizeOf } from './vae.js';

export class Autoencoder implements LatentVariableModel {
  readonly dataSize: number;
  readonly latentSize: number;
  readonly deterministic = true;
  readonly encoder: Net;
  readonly decoder: Net;
  readonly likelihood: Likelihood;
  /** Not part of the model: N(0, I) draws for the naive "generation" seed 000 shows failing. */
  private readonly naive: Prior;

  constructor(
    readonly config: ModelConfig,
    readonly store: ParameterStore,
  ) {
    const d = config.latent;
    this.dataSize = dataSizeOf(config);
    this.latentSize = d;
    this.encoder = encoderNet(config, store, 'encoder', d);
    this.likelihood = createLikelihood(config, store);
    this.decoder = decoderNet(config, store, 'decoder', d, this.likelihood.outputsPerPixel);
    this.naive = standardNormalPrior(d);
  }

  noise(): NoiseSpec[] {
    return [];
  }

  /** z = μ(x) for all K "samples"; log p(x|z) only (seed 000: deterministic AE). */
  terms(x: Tensor, _noise: Record<string, Tensor>, k: number): ModelTerms {
    const b = x.shape[0];
    const d = this.latentSize;
    const mu = this.encoder(x);
    const z = expand(reshape(mu, [1, b, d]), [k, b, d]);
    return {
      logLikelihood: this.likelihood.logProb(x, applyFlat(this.decoder, z)),
      logPrior: zeros([k, b]),
      logPosterior: zeros([k, b]),
      klPerLatent: zeros([b, d]),
      posteriorMean: mu,
      // σ = 0: a point mass at μ(x).
      posteriorLogVar: expand(constant(-Infinity, []), [b, d]),
    };
  }

  decodeMean(z: Tensor): Tensor {
    return this.likelihood.mean(this.decoder(z));
  }

  decodeStd(z: Tensor): Tensor | null {
    return this.likelihood.std(this.decoder(z));
  }

  /** The AE has no prior; these are N(0, I) draws, the naive generation that seed 000 shows failing. */
  samplePrior(noise: Record<string, Tensor>, n: number): Tensor {
    return this.naive.sample(noise, n);
  }

  priorNoise(n: number): NoiseSpec[] {
    return this.naive.noise(n);
  }

  ancestralNoise(n: number): NoiseSpec[] {
    return [decoderDrawNoise(this.likelihood, n, this.dataSize)];
  }

  /** x ~ p(x|z) (seed 004, Algorithm 6, step 3). */
  ancestral(z: Tensor, noise: Record<string, Tensor>): GeneratedOutputs {
    return decoderDraw(this.likelihood, this.decoder(z), noise, this.dataSize);
  }
}
