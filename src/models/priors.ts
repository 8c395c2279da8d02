/**
 * Priors p(z) (seed 002, "How to choose the optimal p(z)?"): standard normal, a learnable mixture of
 * Gaussians, and the VampPrior p(z) = (1/K) Σ_k q(z|u_k) with learnable pseudo-inputs u_k.
 */
import { add, cast, constant, exp, expand, less, matmul, maximum, mul, param, reshape, sub, sum } from '../engine/ops.js';
import { clamp, softmax } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { mixtureLogProb } from '../distributions/mixture.js';
import { DiagonalGaussian, standardNormalLogDensity } from '../distributions/normal.js';
import { normalInit, zerosInit } from '../nn/init.js';
import type { ParameterStore } from '../nn/store.js';
import type { NoiseSpec } from './types.js';
import type { PRIORS } from './config.js';
import { registerPrior, type PriorFactory } from './parts.js';

export interface Prior {
  /** log p(z) summed over the last axis: z [..., d] → [...]; `noise` holds the inputs of {@link componentNoise}. */
  logProb(z: Tensor, noise?: Record<string, Tensor>): Tensor;
  /**
   * Noise the density itself reads (the VampPrior of a hierarchical model draws z1 ~ q(z1|u_k) for each
   * pseudo-input); empty for the others. A model adds it to its own `noise(B, K)`.
   */
  readonly componentNoise: NoiseSpec[];
  /** KL(q ‖ p) per latent dimension in closed form, [..., d], or null when none exists. */
  klPerLatent(q: DiagonalGaussian): Tensor | null;
  /** The noise {@link sample} reads for n draws. */
  noise(n: number): NoiseSpec[];
  /** z ~ p(z), [n, d]. */
  sample(noise: Record<string, Tensor>, n: number): Tensor;
}

/** Reads a noise input, with an error that names it when the caller forgot it. */
export function noiseInput(noise: Record<string, Tensor>, spec: NoiseSpec): Tensor {
  const t = noise[spec.name];
  if (!t) throw new Error(`missing noise input '${spec.name}' [${spec.shape}] (have: ${Object.keys(noise).join(', ') || 'none'})`);
  if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
    throw new Error(`noise input '${spec.name}': expected shape [${spec.shape}], got [${t.shape}]`);
  }
  return t;
}

/** p(z) = N(0, I); KL(q ‖ p) = ½ (μ² + σ² − 1 − log σ²) per dimension (seed 001). */
export function standardNormalPrior(d: number, prefix = 'prior'): Prior {
  const eps = (n: number): NoiseSpec => ({ name: `${prefix}.eps`, shape: [n, d] });
  return {
    logProb: (z) => sum(standardNormalLogDensity(z), -1),
    klPerLatent: (q) => q.klToStandardNormal(),
    componentNoise: [],
    noise: (n) => [eps(n)],
    sample: (noise, n) => noiseInput(noise, eps(n)),
  };
}

/**
 * Draws from a mixture of C diagonal Gaussians: component k where F_{k−1} ≤ u < F_k (F the cumulative
 * weights, u ~ U(0,1)), then z = μ_k + σ_k ε. Everything is graph ops, so it runs in one session.
 */
function sampleMixture(weights: Tensor, mu: Tensor, logVar: Tensor, u: Tensor, eps: Tensor): Tensor {
  const c = mu.shape[0];
  const upper = constant(
    Array.from({ length: c * c }, (_, i) => (Math.floor(i / c) <= i % c ? 1 : 0)),
    [c, c],
  );
  const cum = matmul(reshape(weights, [1, c]), upper); // [1, C] inclusive cumulative sums
  const excl = sub(cum, reshape(weights, [1, c]));
  const lastOn = constant(
    Array.from({ length: c }, (_, i) => (i === c - 1 ? 1 : 0)),
    [1, c],
  );
  const uc = reshape(u, [u.shape[0], 1]);
  const below = maximum(cast(less(uc, cum), 'float32'), lastOn); // rounding: the last component takes u ≥ F_C
  const oneHot = sub(below, cast(less(uc, excl), 'float32')); // [n, C]
  return add(matmul(oneHot, mu), mul(exp(mul(matmul(oneHot, logVar), 0.5)), eps));
}

/** Noise of mixture sampling: the component draw u [n] and the Gaussian draw ε [n, d]. */
const mixtureNoise = (prefix: string, d: number, n: number): [NoiseSpec, NoiseSpec] => [
  { name: `${prefix}.u`, shape: [n], kind: 'uniform' },
  { name: `${prefix}.eps`, shape: [n, d] },
];

/** How the mixture prior weights its components: 1/C each (seed 002), or learned logits. */
export type MixtureWeights = 'uniform' | 'learned';

/**
 * p(z) = Σ_c π_c N(z; μ_c, σ_c²) with learnable μ, log σ² (seed 002, MoG prior, with π_c = 1/C), or also
 * learnable π = softmax(logits) when `weights` is 'learned' (Dilokthanakul et al. 2016); log p via logsumexp.
 */
export function mixturePrior(
  store: ParameterStore,
  d: number,
  components: number,
  weights: MixtureWeights = 'uniform',
  prefix = 'prior',
): Prior {
  const mu = store.create(`${prefix}.mu`, [components, d], normalInit(0, 1));
  const logVar = store.create(`${prefix}.logVar`, [components, d], zerosInit);
  const logits = weights === 'learned' ? store.create(`${prefix}.logits`, [components], zerosInit) : null;
  const pi = (): Tensor => (logits ? softmax(param(logits)) : expand(constant(1 / components, [1]), [components]));
  return {
    logProb: (z) => mixtureLogProb(z, param(mu), param(logVar), logits && param(logits)),
    klPerLatent: () => null,
    componentNoise: [],
    noise: (n) => mixtureNoise(prefix, d, n),
    sample: (noise, n) => {
      const [u, eps] = mixtureNoise(prefix, d, n).map((s) => noiseInput(noise, s));
      return sampleMixture(pi(), param(mu), param(logVar), u, eps);
    },
  };
}

/**
 * VampPrior p(z) = (1/K) Σ_k q(z|u_k) (Tomczak & Welling 2018; seed 002), pseudo-inputs u_k [K, D]
 * learnable (`prior.pseudoInputs`; with `unitBox`, u = hardtanh(0, 1) of the parameter, as the authors'
 * code keeps them in the data's [0, 1]), pushed through `encode` (the model's q(z|·), which may read the
 * `componentNoise` it declares); log p via logsumexp.
 */
export function vampPrior(
  store: ParameterStore,
  d: number,
  components: number,
  dataSize: number,
  encode: (u: Tensor, noise: Record<string, Tensor>) => DiagonalGaussian,
  prefix = 'prior',
  componentNoise: NoiseSpec[] = [],
  unitBox = false,
): Prior {
  const pseudo = store.create(`${prefix}.pseudoInputs`, [components, dataSize], normalInit(0.5, 0.05));
  const u = (): Tensor => (unitBox ? clamp(param(pseudo), 0, 1) : param(pseudo));
  const q = (noise: Record<string, Tensor>): DiagonalGaussian => encode(u(), noise);
  return {
    logProb: (z, noise = {}) => {
      const g = q(noise);
      return mixtureLogProb(z, g.mu, g.logVar, null);
    },
    klPerLatent: () => null,
    componentNoise,
    noise: (n) => [...mixtureNoise(prefix, d, n), ...componentNoise],
    sample: (noise, n) => {
      const [u, eps] = mixtureNoise(prefix, d, n).map((s) => noiseInput(noise, s));
      const g = q(noise);
      return sampleMixture(expand(constant(1 / components, [1]), [components]), g.mu, g.logVar, u, eps);
    },
  };
}

/** The built-in priors under the names of `config.prior` ({@link PRIORS}); 'af' registers itself in `afPrior.ts`. */
const BUILTIN_PRIORS: Record<Exclude<(typeof PRIORS)[number], 'af'>, PriorFactory> = {
  standard: (c) => standardNormalPrior(c.latent, c.name),
  mog: (c) => mixturePrior(c.store, c.latent, c.config.components, c.config.mixtureWeights, c.name),
  vampprior: (c) =>
    vampPrior(c.store, c.latent, c.config.components, c.dataSize, c.encode, c.name, c.componentNoise, c.config.pseudoInputs === 'hardtanh'),
};
for (const [name, factory] of Object.entries(BUILTIN_PRIORS)) registerPrior(name, factory);
