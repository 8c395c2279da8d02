/**
 * Decoder likelihoods p(x|z). The decoder network emits `outputsPerPixel` numbers per pixel,
 * [..., P·D]; a likelihood reads them as its parameters and gives the full log-density with constants.
 */
import { add, cast, constant, div, exp, expand, full, less, maximum, mul, param, reshape, sigmoid, split, sum } from '../engine/ops.js';
import { discretizedLogisticLogDensity, discretizedLogisticSample } from '../distributions/discretizedLogistic.js';
import { betaBinomialConcentration, betaBinomialLogDensity, betaBinomialSample } from '../distributions/betaBinomial.js';
import type { Tensor } from '../engine/tensor.js';
import { bernoulliLogProb } from '../distributions/bernoulli.js';
import { continuousBernoulliLogDensity, continuousBernoulliMean, continuousBernoulliSample } from '../distributions/continuousBernoulli.js';
import { DiagonalGaussian } from '../distributions/normal.js';
import { constantInit } from '../nn/init.js';
import type { ParameterStore } from '../nn/store.js';
import type { DECODERS, ModelConfig } from './config.js';
import { likelihoods, partOptions, registerLikelihood, type LikelihoodFactory } from './parts.js';

export interface Likelihood {
  /** Numbers the decoder network emits per pixel (1, or 2 for mean and log-variance). */
  readonly outputsPerPixel: number;
  /** log p(x|z) summed over the last axis: x [..., D], out [..., P·D] → [...]. */
  logProb(x: Tensor, out: Tensor): Tensor;
  /** E[x|z], [..., D]. */
  mean(out: Tensor): Tensor;
  /** Per-pixel standard deviation σ_x(z), [..., D], for Gaussian likelihoods; null otherwise. */
  std(out: Tensor): Tensor | null;
  /** The noise {@link sample} reads per pixel: U(0, 1) or N(0, 1). */
  readonly sampleNoise: 'uniform' | 'normal';
  /** x ~ p(x|z) from the decoder's outputs and per-pixel noise [..., D] (seed 004, Algorithm 6, step 3). */
  sample(out: Tensor, noise: Tensor): Tensor;
}

/** x = μ + σ ⊙ ε, ε ~ N(0, I): the draw of every Gaussian likelihood. */
const gaussianDraw =
  (l: Pick<Likelihood, 'mean' | 'std'>) =>
  (out: Tensor, eps: Tensor): Tensor =>
    add(l.mean(out), mul(l.std(out)!, eps));

const sumLast = (t: Tensor): Tensor => sum(t, -1);

/** p(x|z) = Π Bernoulli(x_i; σ(ℓ_i)): log p = Σ x ℓ − softplus(ℓ) (Kingma & Welling 2014). */
export const bernoulliLikelihood = (): Likelihood => ({
  outputsPerPixel: 1,
  logProb: bernoulliLogProb,
  mean: (out) => sigmoid(out),
  std: () => null,
  sampleNoise: 'uniform',
  sample: (out, u) => cast(less(u, sigmoid(out)), 'float32'), // x = 1 when u < σ(ℓ)
});

/** p(x|z) = Π CB(x_i; σ(ℓ_i)) with its normaliser C(λ) (Loaiza-Ganem & Cunningham 2019). */
export const continuousBernoulliLikelihood = (): Likelihood => ({
  outputsPerPixel: 1,
  logProb: (x, out) => sumLast(continuousBernoulliLogDensity(x, out)),
  mean: (out) => continuousBernoulliMean(out),
  std: () => null,
  sampleNoise: 'uniform',
  sample: (out, u) => continuousBernoulliSample(out, u),
});

/** log σ² ≥ min where a floor is set (Tomczak & Welling 2018 bound the decoder's log-variance). */
const floorLogVar = (logVar: Tensor, min: number | null): Tensor => (min === null ? logVar : maximum(logVar, min));

/**
 * p(x|z) = N(x; μ_x(z), diag σ_x²(z)), both from the network: seed 004's simple VAE, eq. 5.5; log σ_x² ≥
 * `minLogVar` when given.
 */
export const gaussianLikelihood = (minLogVar: number | null = null): Likelihood => {
  const parts = (out: Tensor): DiagonalGaussian => {
    const d = out.shape[out.rank - 1] / 2;
    const [mu, logVar] = split(out, [d, d], -1);
    return new DiagonalGaussian(mu, floorLogVar(logVar, minLogVar));
  };
  const l = {
    outputsPerPixel: 2,
    logProb: (x: Tensor, out: Tensor) => parts(out).logProb(x),
    mean: (out: Tensor) => parts(out).mu,
    std: (out: Tensor) => parts(out).std,
  };
  return { ...l, sampleNoise: 'normal', sample: gaussianDraw(l) };
};

/** p(x|z) = N(x; μ_x(z), σ²I) with σ fixed: MSE/(2σ²) + D log(σ√2π), a proper log-likelihood (seed 004 §5.3.2). */
export const fixedGaussianLikelihood = (sigma: number): Likelihood => {
  const logVar = constant(2 * Math.log(sigma), []);
  const l = {
    outputsPerPixel: 1,
    logProb: (x: Tensor, out: Tensor) => new DiagonalGaussian(out, logVar).logProb(x),
    mean: (out: Tensor) => out,
    std: (out: Tensor) => full(out.shape, sigma),
  };
  return { ...l, sampleNoise: 'normal', sample: gaussianDraw(l) };
};

/** p(x|z) = N(x; μ_x(z), σ²I) with one learned σ² (`decoder.logVar`, ≥ `minLogVar` when given): the linear VAE / pPCA model (seed 004 §5.4). */
export const scalarGaussianLikelihood = (store: ParameterStore, name: string, minLogVar: number | null = null): Likelihood => {
  const p = store.create(`${name}.logVar`, [1], constantInit(0));
  const logVar = (): Tensor => floorLogVar(reshape(param(p), []), minLogVar);
  const l = {
    outputsPerPixel: 1,
    logProb: (x: Tensor, out: Tensor) => new DiagonalGaussian(out, logVar()).logProb(x),
    mean: (out: Tensor) => out,
    std: (out: Tensor) => expand(exp(mul(logVar(), 0.5)), out.shape),
  };
  return { ...l, sampleNoise: 'normal', sample: gaussianDraw(l) };
};

/**
 * p(x|z) = Π DiscLogistic(x_i; μ_i, s_i) over the 256 grey levels x = k/255 (Salimans et al. 2017,
 * PixelCNN++ eq. 2), mixed with a uniform of weight 10⁻³: a proper probability mass, so −log p is a
 * code length (bits per dimension).
 * The network emits μ and log s per pixel; log s is floored at −7 (`LOGISTIC_MIN_LOG_SCALE`).
 */
export const discretizedLogisticLikelihood = (): Likelihood => {
  const parts = (out: Tensor): [Tensor, Tensor] => {
    const d = out.shape[out.rank - 1] / 2;
    const [mu, logScale] = split(out, [d, d], -1);
    return [mu, logScale];
  };
  // `sample`/`sampleNoise` serve the sampling interface of the main line (x ~ p(x|z) from U(0, 1) noise).
  const likelihood = {
    outputsPerPixel: 2,
    logProb: (x: Tensor, out: Tensor) => sumLast(discretizedLogisticLogDensity(x, ...parts(out))),
    mean: (out: Tensor) => parts(out)[0],
    std: () => null,
    sampleNoise: 'uniform' as const,
    sample: (out: Tensor, u: Tensor) => discretizedLogisticSample(...parts(out), u),
  };
  return likelihood;
};

/**
 * p(x|z) = Π BetaBin(255·x_i; α_i, β_i) over the 256 grey levels (Townsend et al. 2019, BB-ANS): the
 * network emits a, b per pixel, α = softplus(a) + 10⁻³, β likewise; E[x|z] = α / (α + β).
 */
export const betaBinomialLikelihood = (): Likelihood => {
  const parts = (out: Tensor): [Tensor, Tensor] => {
    const d = out.shape[out.rank - 1] / 2;
    const [a, b] = split(out, [d, d], -1);
    return [betaBinomialConcentration(a), betaBinomialConcentration(b)];
  };
  const likelihood = {
    outputsPerPixel: 2,
    logProb: (x: Tensor, out: Tensor) => sumLast(betaBinomialLogDensity(x, ...parts(out))),
    mean: (out: Tensor) => {
      const [alpha, beta] = parts(out);
      return div(alpha, add(alpha, beta));
    },
    std: () => null,
    sampleNoise: 'uniform' as const,
    sample: (out: Tensor, u: Tensor) => betaBinomialSample(...parts(out), u),
  };
  return likelihood;
};

registerBuiltins();

/** The built-in likelihoods under the names of `config.decoder` ({@link DECODERS}). */
function registerBuiltins(): void {
  const table: Record<(typeof DECODERS)[number], LikelihoodFactory> = {
    bernoulli: bernoulliLikelihood,
    'continuous-bernoulli': continuousBernoulliLikelihood,
    gaussian: ({ config }) => gaussianLikelihood(config.decoderMinLogVar),
    'gaussian-fixed': ({ config }) => fixedGaussianLikelihood(config.sigma),
    'gaussian-scalar': ({ config, store, name }) => scalarGaussianLikelihood(store, name, config.decoderMinLogVar),
    'discretized-logistic': discretizedLogisticLikelihood,
    'beta-binomial': betaBinomialLikelihood,
  };
  for (const [name, factory] of Object.entries(table)) registerLikelihood(name, factory);
}

/** The likelihood a config names (`config.decoder`, built-in or registered), its parameters under `name`. */
export function createLikelihood(config: ModelConfig, store: ParameterStore, name = 'decoder'): Likelihood {
  return likelihoods.get(config.decoder)({ config, store, name, options: partOptions(config, 'likelihood') });
}
