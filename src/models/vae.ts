/**
 * The VAE (Kingma & Welling 2014; seeds 001, 004) with a diagonal Gaussian q(z|x), an optional IAF on
 * it, any decoder likelihood and any prior. The IWAE (Burda et al. 2016; seed 002) is this same model
 * trained with the L_K objective, so 'iwae' builds it too.
 */
import { sub } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import type { DiagonalGaussian } from '../dist/normal.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';
import { applyFlat, gaussianHead } from './gaussianHead.js';
import { IAF } from './iaf.js';
import { createLikelihood, type Likelihood } from './likelihood.js';
import { decoderNet, encoderNet, type Net } from './networks.js';
import { mixturePrior, noiseInput, standardNormalPrior, vampPrior, type Prior } from './priors.js';
import type { LatentVariableModel, ModelTerms, NoiseSpec } from './types.js';

/** The prior a config names, for latents of size d; `encode` serves the VampPrior. */
export function createPrior(
  config: ModelConfig, store: ParameterStore, d: number, encode: (u: Tensor) => DiagonalGaussian,
): Prior {
  const table: Record<ModelConfig['prior'], () => Prior> = {
    standard: () => standardNormalPrior(d),
    mog: () => mixturePrior(store, d, config.components),
    vampprior: () => vampPrior(store, d, config.components, dataSizeOf(config), encode),
  };
  return table[config.prior]();
}

export const dataSizeOf = (config: ModelConfig): number => config.dataShape.reduce((a, b) => a * b, 1);

export class VAE implements LatentVariableModel {
  readonly dataSize: number;
  readonly latentSize: number;
  readonly deterministic = false;
  readonly encoder: (x: Tensor) => DiagonalGaussian;
  readonly decoder: Net;
  readonly likelihood: Likelihood;
  readonly prior: Prior;
  readonly flow: IAF | null;

  /** @param decoderOutputsPerPixel numbers the decoder network emits per pixel (default: the likelihood's). */
  constructor(readonly config: ModelConfig, readonly store: ParameterStore, decoderOutputsPerPixel?: number) {
    const d = config.latent;
    this.dataSize = dataSizeOf(config);
    this.latentSize = d;
    this.encoder = gaussianHead(encoderNet(config, store, 'encoder', 2 * d), d);
    this.likelihood = createLikelihood(config, store);
    this.decoder = decoderNet(config, store, 'decoder', d, decoderOutputsPerPixel ?? this.likelihood.outputsPerPixel);
    this.prior = createPrior(config, store, d, this.encoder);
    this.flow = config.flowSteps > 0 ? new IAF(store, 'flow', d, config.flowSteps, config.flowHidden) : null;
  }

  noise(batch: number, k: number): NoiseSpec[] {
    return [{ name: 'eps', shape: [k, batch, this.latentSize] }];
  }

  /** z_k = f(μ + σ ⊙ ε_k) (f the IAF, or identity); log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x) (seed 002). */
  terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
    const [spec] = this.noise(x.shape[0], k);
    const q = this.encoder(x);
    const z0 = q.sample(noiseInput(noise, spec)); // [K, B, d]
    let z = z0;
    let logPosterior = q.logProb(z0);
    if (this.flow) {
      const f = this.flow.forward(z0);
      z = f.z;
      logPosterior = sub(logPosterior, f.logDet);
    }
    return {
      logLikelihood: this.decoderLogLikelihood(x, z),
      logPrior: this.prior.logProb(z),
      logPosterior,
      klPerLatent: this.flow ? null : this.prior.klPerLatent(q),
      posteriorMean: q.mu,
      posteriorLogVar: q.logVar,
    };
  }

  /** log p(x|z_k), [K, B], for x [B, D] and z [K, B, d]. */
  protected decoderLogLikelihood(x: Tensor, z: Tensor): Tensor {
    return this.likelihood.logProb(x, applyFlat(this.decoder, z));
  }

  decodeMean(z: Tensor): Tensor {
    return this.likelihood.mean(this.decoder(z));
  }

  decodeStd(z: Tensor): Tensor | null {
    return this.likelihood.std(this.decoder(z));
  }

  samplePrior(noise: Record<string, Tensor>, n: number): Tensor {
    return this.prior.sample(noise, n);
  }

  priorNoise(n: number): NoiseSpec[] {
    return this.prior.noise(n);
  }
}
