/**
 * The VAE (Kingma & Welling 2014; seeds 001, 004) with a diagonal Gaussian q(z|x), an optional IAF on
 * it, any decoder likelihood and any prior. The IWAE (Burda et al. 2016; seed 002) is this same model
 * trained with the L_K objective, so 'iwae' builds it too.
 */
import { add, mul, split, sub } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian, standardNormalLogDensity } from '../distributions/normal.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';
import { applyFlat, boundLogVar } from './gaussianHead.js';
import './iaf.js'; // registers the 'iaf' flow
import './afPrior.js'; // registers the 'af' prior
import { createLikelihood, type Likelihood } from './likelihood.js';
import { decoderNet, encoderNet, type Net } from './networks.js';
import { noiseInput, type Prior } from './priors.js';
import { flows, partOptions, priors, type ModelParts, type PosteriorFlow } from './parts.js';
import type { GeneratedOutputs, LatentVariableModel, ModelTerms, NoiseSpec } from './types.js';
import { decoderDraw, decoderDrawNoise } from './ancestral.js';

/**
 * The prior a config names, for latents of size d; `encode` (reading `componentNoise`, if any) serves the
 * VampPrior.
 */
export function createPrior(
  config: ModelConfig,
  store: ParameterStore,
  d: number,
  encode: (u: Tensor, noise: Record<string, Tensor>) => DiagonalGaussian,
  componentNoise: NoiseSpec[] = [],
): Prior {
  const ctx = {
    config,
    store,
    name: 'prior',
    options: partOptions(config, 'prior'),
    latent: d,
    dataSize: dataSizeOf(config),
    encode,
    componentNoise,
  };
  return priors.get(config.prior)(ctx);
}

export const dataSizeOf = (config: ModelConfig): number => config.dataShape.reduce((a, b) => a * b, 1);

export class VAE implements LatentVariableModel {
  readonly dataSize: number;
  readonly latentSize: number;
  readonly deterministic = false;
  readonly encoder: (x: Tensor) => DiagonalGaussian;
  /** q(z_0|x) and the context h [B, c] the IAF steps read (Kingma et al. 2016; c = 0 without a flow). */
  readonly encodeWithContext: (x: Tensor) => { q: DiagonalGaussian; h: Tensor | null };
  readonly decoder: Net;
  readonly likelihood: Likelihood;
  readonly prior: Prior;
  readonly flow: PosteriorFlow | null;
  readonly givenParts: readonly string[];

  /**
   * Builds the parts the config names from the registry (`parts.ts`); `parts` replaces any of them by an
   * instance (a custom likelihood, prior, network or flow) without subclassing.
   * @param decoderOutputsPerPixel numbers the decoder network emits per pixel (default: the likelihood's).
   */
  constructor(
    readonly config: ModelConfig,
    readonly store: ParameterStore,
    decoderOutputsPerPixel?: number,
    parts: ModelParts = {},
  ) {
    const d = config.latent;
    this.dataSize = dataSizeOf(config);
    this.latentSize = d;
    this.givenParts = Object.keys(parts).filter((k) => parts[k as keyof ModelParts] !== undefined);
    const c = config.flowSteps > 0 ? config.flowContext : 0;
    const net = parts.encoderNetwork ?? encoderNet(config, store, 'encoder', 2 * d + c);
    this.encodeWithContext = (x) => {
      const [mu, logVar, h] = split(net(x), c > 0 ? [d, d, c] : [d, d], -1);
      return { q: new DiagonalGaussian(mu, boundLogVar(logVar, config.encoderLogVarRange)), h: h ?? null };
    };
    this.encoder = (x) => this.encodeWithContext(x).q;
    this.likelihood = parts.likelihood ?? createLikelihood(config, store);
    this.decoder =
      parts.decoderNetwork ?? decoderNet(config, store, 'decoder', d, decoderOutputsPerPixel ?? this.likelihood.outputsPerPixel);
    this.prior = parts.prior ?? createPrior(config, store, d, this.encoder);
    const flowContext = { config, store, name: 'flow', options: partOptions(config, 'flow'), latent: d, contextSize: c };
    this.flow = parts.flow ?? (config.flowSteps > 0 ? flows.get(config.flow ?? 'iaf')(flowContext) : null);
  }

  noise(batch: number, k: number): NoiseSpec[] {
    return [{ name: 'eps', shape: [k, batch, this.latentSize] }];
  }

  /**
   * z_k = f(μ + σ ⊙ ε_k) (f the IAF, or identity); log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x) (seed 002).
   * With a flow, the posterior statistics are those of z_T, what the decoder reads, at z_0 = μ (whatever the
   * noise, so encodings are deterministic): `posteriorMean` = f(μ; h) and `posteriorLogVar` the first-order
   * log σ_T,i² = log σ_i² + 2 Σ_t log σ_{t,i}(μ), exact for the conditional variance of a single step.
   */
  terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
    const [spec] = this.noise(x.shape[0], k);
    const { q, h } = this.encodeWithContext(x);
    const z0 = q.sample(noiseInput(noise, spec)); // [K, B, d]
    const logLik = (z: Tensor): Tensor => this.decoderLogLikelihood(x, z);
    if (!this.flow) {
      return {
        logLikelihood: logLik(z0),
        logPrior: this.prior.logProb(z0),
        logPosterior: q.logProb(z0),
        klPerLatent: this.prior.klPerLatent(q),
        posteriorMean: q.mu,
        posteriorLogVar: q.logVar,
      };
    }
    const f = this.flow.forward(z0, h ?? undefined);
    const atMean = this.flow.forward(q.mu, h ?? undefined); // [B, d]
    const logQ0 = this.flow.align(q.logDensity(z0)); // per variable of z_T
    const factorises = this.config.prior === 'standard';
    return {
      logLikelihood: logLik(f.z),
      logPrior: this.prior.logProb(f.z),
      logPosterior: sub(q.logProb(z0), f.logDet),
      klPerLatent: null,
      ...(factorises ? { logRatioParts: sub(sub(logQ0, f.logDetPerVariable), standardNormalLogDensity(f.z)) } : {}),
      posteriorMean: atMean.z,
      posteriorLogVar: add(this.flow.align(q.logVar), mul(atMean.logDetPerVariable, 2)),
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

  ancestralNoise(n: number): NoiseSpec[] {
    return [decoderDrawNoise(this.likelihood, n, this.dataSize)];
  }

  /** x ~ p(x|z) (seed 004, Algorithm 6, step 3). */
  ancestral(z: Tensor, noise: Record<string, Tensor>): GeneratedOutputs {
    return decoderDraw(this.likelihood, this.decoder(z), noise, this.dataSize);
  }
}
