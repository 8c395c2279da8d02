/**
 * A VAE with two stochastic layers, the IWAE paper's architecture (Burda et al. 2016; seed 002,
 * "Hierarchical VAE"): q(z1|x) q(z2|z1) and p(z2) p(z1|z2) p(x|z1), e.g. x → (200, 200) → z1 (100) →
 * (100, 100) → z2 (50). `latentSize` is the top layer z2. Generation is ancestral (z2 ~ p(z2),
 * z1 ~ p(z1|z2), x ~ p(x|z1): {@link HierarchicalVAE.ancestral}); decodeMean/decodeStd, which must map a
 * z2 to one image (traversals, interpolations), follow the mean path z1 = E[z1|z2].
 */
import { add, concat, exp, log, reshape, sub } from '../engine/ops.js';
import { mean, square } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { DiagonalGaussian } from '../distributions/normal.js';
import type { ParameterStore } from '../nn/store.js';
import { decoderDraw, decoderDrawNoise } from './ancestral.js';
import type { ModelConfig } from './config.js';
import { applyFlat, gaussianHead } from './gaussianHead.js';
import { createLikelihood, type Likelihood } from './likelihood.js';
import { decoderNet, denseInit, encoderNet, mlpNet, type Net } from './networks.js';
import { noiseInput, type Prior } from './priors.js';
import type { GeneratedOutputs, LatentVariableModel, ModelTerms, NoiseSpec } from './types.js';
import { createPrior, dataSizeOf } from './vae.js';

export class HierarchicalVAE implements LatentVariableModel {
  readonly dataSize: number;
  /** Size of the top layer z2. */
  readonly latentSize: number;
  /** Size of z1. */
  readonly latent1: number;
  readonly deterministic = false;
  readonly q1: (x: Tensor) => DiagonalGaussian;
  readonly q2: (z1: Tensor) => DiagonalGaussian;
  readonly p1: (z2: Tensor) => DiagonalGaussian;
  readonly decoder: Net;
  readonly likelihood: Likelihood;
  /**
   * p(z2); for the VampPrior its components are q(z2|u_k) = E_{q(z1|u_k)} q(z2|z1), with one z1 ~ q(z1|u_k)
   * drawn per pseudo-input and step (noise `prior.z1eps`): p̂(z2) = (1/K) Σ_k q(z2|z1_k) is unbiased for p(z2),
   * so the importance weights stay unbiased and, log being concave, the ELBO and L_K stay lower bounds in
   * expectation.
   */
  readonly prior: Prior;

  constructor(
    readonly config: ModelConfig,
    readonly store: ParameterStore,
  ) {
    const d1 = config.latent1;
    const d2 = config.latent;
    const act = config.activation;
    this.dataSize = dataSizeOf(config);
    this.latentSize = d2;
    this.latent1 = d1;
    this.q1 = gaussianHead(encoderNet(config, store, 'encoder1', 2 * d1), d1, config.encoderLogVarRange);
    const init = denseInit(config);
    this.q2 = gaussianHead(mlpNet(store, 'encoder2', [d1, ...config.hidden2, 2 * d2], act, init), d2, config.encoderLogVarRange);
    this.p1 = gaussianHead(mlpNet(store, 'decoder2', [d2, ...[...config.hidden2].reverse(), 2 * d1], act, init), d1);
    this.likelihood = createLikelihood(config, store);
    this.decoder = decoderNet(config, store, 'decoder1', d1, this.likelihood.outputsPerPixel);
    const z1Noise: NoiseSpec = { name: 'prior.z1eps', shape: [config.components, d1] };
    this.prior = createPrior(config, store, d2, (u, noise) => this.q2(this.q1(u).sample(noiseInput(noise, z1Noise))), [z1Noise]);
  }

  noise(batch: number, k: number): NoiseSpec[] {
    return [
      { name: 'eps1', shape: [k, batch, this.latent1] },
      { name: 'eps2', shape: [k, batch, this.latentSize] },
      ...this.prior.componentNoise,
    ];
  }

  /**
   * z1 ~ q(z1|x), z2 ~ q(z2|z1); log w = log p(x|z1) + [log p(z1|z2) + log p(z2)] − [log q(z1|x) + log q(z2|z1)].
   * posteriorMean/LogVar describe q(z2|x) = E_{q(z1|x)} q(z2|z1) by its moments over the K samples.
   */
  terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
    const [s1, s2] = this.noise(x.shape[0], k);
    const q1 = this.q1(x);
    const z1 = q1.sample(noiseInput(noise, s1)); // [K, B, d1]
    const q2 = this.q2(z1);
    const z2 = q2.sample(noiseInput(noise, s2)); // [K, B, d2]
    const p1 = this.p1(z2);
    const mu2 = mean(q2.mu, 0);
    const var2 = add(mean(exp(q2.logVar), 0), sub(mean(square(q2.mu), 0), square(mu2)));
    const [lq1, lq2, lp1, lp2] = [q1.logProb(z1), q2.logProb(z2), p1.logProb(z1), this.prior.logProb(z2, noise)];
    const part = (t: Tensor): Tensor => reshape(t, [...t.shape, 1]);
    return {
      logLikelihood: this.likelihood.logProb(x, applyFlat(this.decoder, z1)),
      logPrior: add(lp1, lp2),
      logPosterior: add(lq1, lq2),
      klPerLatent: null,
      // Per layer: [log q(z1|x) − log p(z1|z2), log q(z2|z1) − log p(z2)].
      logRatioParts: concat([part(sub(lq1, lp1)), part(sub(lq2, lp2))], -1),
      posteriorMean: mu2,
      posteriorLogVar: log(var2),
    };
  }

  /** E[x | z1 = E[z1|z2]]: the decoder mean along the mean path of the hierarchy. */
  decodeMean(z2: Tensor): Tensor {
    return this.likelihood.mean(this.decoder(this.p1(z2).mu));
  }

  decodeStd(z2: Tensor): Tensor | null {
    return this.likelihood.std(this.decoder(this.p1(z2).mu));
  }

  /** z2 ~ p(z2). */
  samplePrior(noise: Record<string, Tensor>, n: number): Tensor {
    return this.prior.sample(noise, n);
  }

  priorNoise(n: number): NoiseSpec[] {
    return this.prior.noise(n);
  }

  ancestralNoise(n: number): NoiseSpec[] {
    return [{ name: 'ancestral.eps1', shape: [n, this.latent1] }, decoderDrawNoise(this.likelihood, n, this.dataSize)];
  }

  /** z1 ~ p(z1|z2), then the decoder at z1 and x ~ p(x|z1): ancestral sampling through both layers. */
  ancestral(z2: Tensor, noise: Record<string, Tensor>): GeneratedOutputs {
    const [eps1] = this.ancestralNoise(z2.shape[0]);
    const z1 = this.p1(z2).sample(noiseInput(noise, eps1));
    return decoderDraw(this.likelihood, this.decoder(z1), noise, this.dataSize);
  }
}
