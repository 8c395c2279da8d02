/**
 * M2, the generative semi-supervised model of Kingma, Rezende, Mohamed & Welling (2014, §3.1.2):
 * p(y) p(z) p_θ(x | y, z) with p(y) = Cat(1/C) and p(z) = N(0, I); q_φ(z | x, y) a diagonal Gaussian
 * and q_φ(y | x) = Cat(π_φ(x)). The class y is a discrete latent for unlabelled x and observed for
 * labelled x. Any decoder likelihood and decoder architecture works: the decoder reads [z, y].
 */
import { add, concat, constant, exp, expand, less, mul, reshape, sum, transpose, where } from '../engine/ops.js';
import { logSoftmax } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import type { DiagonalGaussian } from '../distributions/normal.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';
import { applyFlat, gaussianHead } from './gaussianHead.js';
import { decoderDraw, decoderDrawNoise } from './ancestral.js';
import { createLikelihood, type Likelihood } from './likelihood.js';
import { decoderNet, gatedNet, mlpNet, type Net } from './networks.js';
import { noiseInput, standardNormalPrior, type Prior } from './priors.js';
import type { GeneratedOutputs, LatentVariableModel, ModelTerms, NoiseSpec } from './types.js';
import { dataSizeOf } from './vae.js';

/** One-hot rows [n, C] whose row i is class `classOf(i)`. */
function oneHotRows(n: number, classes: number, classOf: (i: number) => number): Tensor {
  const v = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) v[i * classes + classOf(i)] = 1;
  return constant(v, [n, classes]);
}

/** An MLP or gated network with widths [in, hidden..., out] (M2's encoders read [x, y], so no conv). */
function denseNet(config: ModelConfig, store: ParameterStore, name: string, widths: number[]): Net {
  return config.architecture === 'gated' ? gatedNet(store, name, widths) : mlpNet(store, name, widths, config.activation);
}

export class M2 implements LatentVariableModel {
  readonly dataSize: number;
  /** Size d of the continuous latent z (the class y is the other latent). */
  readonly latentSize: number;
  readonly deterministic = false;
  /** Number of classes C. */
  readonly classes: number;
  /** q_φ(y | x): x [N, D] → logits [N, C]. */
  readonly classifier: Net;
  /** q_φ(z | x, y): [x, y] [N, D + C] → N(μ, σ²) over z [N, d]. */
  readonly encoder: (xy: Tensor) => DiagonalGaussian;
  /** p_θ(x | y, z): [z, y] [N, d + C] → the likelihood's parameters. */
  readonly decoder: Net;
  readonly likelihood: Likelihood;
  readonly prior: Prior;

  constructor(
    readonly config: ModelConfig,
    readonly store: ParameterStore,
  ) {
    const d = config.latent;
    const C = config.classes;
    this.dataSize = dataSizeOf(config);
    this.latentSize = d;
    this.classes = C;
    this.classifier = denseNet(config, store, 'classifier', [this.dataSize, ...config.hidden, C]);
    this.encoder = gaussianHead(denseNet(config, store, 'encoder', [this.dataSize + C, ...config.hidden, 2 * d]), d);
    this.likelihood = createLikelihood(config, store);
    this.decoder = decoderNet(config, store, 'decoder', d + C, this.likelihood.outputsPerPixel);
    this.prior = standardNormalPrior(d);
  }

  /** log q_φ(y | x) for x [B, D]: [B, C]. */
  classLogProbs(x: Tensor): Tensor {
    return logSoftmax(this.classifier(x), -1);
  }

  /** Noise for a batch of B unlabelled examples: one ε per (sample, class, example), [K, C·B, d]. */
  noise(batch: number, k: number): NoiseSpec[] {
    return [{ name: 'eps', shape: [k, this.classes * batch, this.latentSize] }];
  }

  /** Noise for a batch of B labelled examples, [K, B, d]. */
  labelledNoise(batch: number, k: number, name = 'epsLabelled'): NoiseSpec[] {
    return [{ name, shape: [k, batch, this.latentSize] }];
  }

  /**
   * The terms of labelled data (x [B, D], y one-hot [B, C]): z_k = μ(x, y) + σ(x, y) ⊙ ε_k;
   * log p(x | y, z_k), log p(z_k) + log p(y), log q(z_k | x, y), and the closed-form KL of z.
   * Their ELBO is L(x, y) of Kingma et al. (2014, eq. 6).
   */
  labelledTerms(x: Tensor, y: Tensor, eps: Tensor): ModelTerms {
    const q = this.encoder(concat([x, y], 1));
    const z = q.sample(eps); // [K, B, d]
    const [K, B] = z.shape;
    const yk = expand(reshape(y, [1, B, this.classes]), [K, B, this.classes]);
    const logPy = -Math.log(this.classes); // p(y) = Cat(1/C)
    return {
      logLikelihood: this.likelihood.logProb(x, applyFlat(this.decoder, concat([z, yk], 2))),
      logPrior: add(this.prior.logProb(z), logPy),
      logPosterior: q.logProb(z),
      // Monte Carlo KL: it must include log p(y), which a per-latent closed form of z alone would drop.
      klPerLatent: null,
      posteriorMean: q.mu,
      posteriorLogVar: q.logVar,
    };
  }

  /**
   * The terms of unlabelled x [B, D] with y enumerated (Kingma et al. 2014, eq. 7):
   * every term is Σ_y q(y|x) (·), and log q(y|x) joins log q, log p(y) joins log p, so that
   * E[log p(x|z)] − E[log q − log p] = Σ_y q(y|x) L(x, y) + H(q(y|x)) = −U(x).
   * The posterior mean and log-variance reported are the q(y|x)-weighted averages over y.
   */
  terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
    const B = x.shape[0];
    const C = this.classes;
    const [spec] = this.noise(B, k);
    const eps = noiseInput(noise, spec);
    // Row c·B + b holds (x_b, y = c).
    const xs = reshape(expand(reshape(x, [1, B, this.dataSize]), [C, B, this.dataSize]), [C * B, this.dataSize]);
    const ys = oneHotRows(C * B, C, (i) => Math.floor(i / B));
    const t = this.labelledTerms(xs, ys, eps);
    const logQy = transpose(this.classLogProbs(x)); // [C, B]
    // q(y|x) below 1e-20 counts as 0 (it would move U(x) by < 1e-20·|L(x, y)|): once the classifier is
    // confident, the classes it rules out get q ~ 1e-40, and the backward pass of their enumerated rows
    // then runs on subnormal numbers, which x86 computes ~100 times slower (a run's steps had slowed 3×).
    const q = exp(logQy);
    const qy = where(less(q, 1e-20), 0, q);
    // Σ_y q(y|x) f(y) for f [K, C·B] → [K, B].
    const expectY = (f: Tensor): Tensor => sum(mul(reshape(f, [k, C, B]), qy), 1);
    const meanY = (f: Tensor): Tensor => sum(mul(reshape(f, [C, B, this.latentSize]), reshape(qy, [C, B, 1])), 0);
    return {
      logLikelihood: expectY(t.logLikelihood),
      logPrior: expectY(t.logPrior),
      logPosterior: add(expectY(t.logPosterior), sum(mul(qy, logQy), 0)),
      klPerLatent: null,
      posteriorMean: meanY(t.posteriorMean),
      posteriorLogVar: meanY(t.posteriorLogVar),
    };
  }

  /**
   * E[x | y, z] for z [N, d] decoded with class y = i mod C for row i (a grid of C columns shows one
   * class per column), or for [z, y] [N, d + C] with y one-hot in the last C columns.
   */
  decodeMean(z: Tensor): Tensor {
    return this.likelihood.mean(this.decoder(this.withClass(z)));
  }

  decodeStd(z: Tensor): Tensor | null {
    return this.likelihood.std(this.decoder(this.withClass(z)));
  }

  ancestralNoise(n: number): NoiseSpec[] {
    return [decoderDrawNoise(this.likelihood, n, this.dataSize)];
  }

  /** x ~ p(x | y, z), with y as in {@link decodeMean} (seed 004, Algorithm 6, step 3). */
  ancestral(z: Tensor, noise: Record<string, Tensor>): GeneratedOutputs {
    return decoderDraw(this.likelihood, this.decoder(this.withClass(z)), noise, this.dataSize);
  }

  private withClass(z: Tensor): Tensor {
    if (z.shape[1] === this.latentSize + this.classes) return z;
    const n = z.shape[0];
    return concat([z, oneHotRows(n, this.classes, (i) => i % this.classes)], 1);
  }

  samplePrior(noise: Record<string, Tensor>, n: number): Tensor {
    return this.prior.sample(noise, n);
  }

  priorNoise(n: number): NoiseSpec[] {
    return this.prior.noise(n);
  }
}

/** Σ over the last axis of y ⊙ log q(y|x): log q(y_b | x_b) for one-hot y [B, C], [B]. */
export function labelLogProb(logQy: Tensor, y: Tensor): Tensor {
  return sum(mul(y, logQy), -1);
}
