/**
 * The contract between models, objectives and the trainer (STYLE 6–7): every latent-variable model
 * exposes the same few graph builders, and every objective turns their output into one typed record,
 * so trainers, logs and reports never special-case a model.
 *
 * Shapes: B is the batch, K the number of importance samples per example (1 for a plain VAE), d the
 * latent size, D the data size (flattened). Noise for the reparameterisation trick is a graph input
 * filled by a seeded generator in TypeScript (DESIGN.md), declared by the model via {@link NoiseSpec}.
 */
import type { Tensor } from '../engine/tensor.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';

/** A noise input: its name and shape; standard normal unless `kind` says uniform. */
export interface NoiseSpec {
  name: string;
  shape: number[];
  kind?: 'normal' | 'uniform';
}

/**
 * What a model computes for a batch x [B, D] with K posterior samples z_k ~ q(z|x), k = 1..K.
 * All three log terms are [K, B]; their combination log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x)
 * is the log importance weight of the IWAE bound (seed 002).
 */
export interface ModelTerms {
  /** log p(x | z_k), [K, B], the decoder's full log-likelihood including constants. */
  logLikelihood: Tensor;
  /** log p(z_k), [K, B] (for hierarchical models, the joint log prior of all stochastic layers). */
  logPrior: Tensor;
  /** log q(z_k | x), [K, B]. */
  logPosterior: Tensor;
  /**
   * KL(q(z|x) ‖ p(z)) per latent dimension, [B, d], in closed form when the prior allows it (standard
   * normal prior, diagonal Gaussian posterior); null when only the Monte Carlo estimate
   * E_q[log q − log p] exists (mixture and VampPrior priors, flows).
   */
  klPerLatent: Tensor | null;
  /**
   * The Monte Carlo log q − log p split into P parts, [K, B, P], summing to logPosterior − logPrior: one
   * part per latent of z_T where q and p both factorise (an IAF with the standard prior), one per
   * stochastic layer for the hierarchical VAE. Absent where the prior does not factorise (mixtures,
   * VampPrior). Free bits with several groups reads it where no closed form exists (Kingma et al. 2016).
   */
  logRatioParts?: Tensor;
  /** The posterior mean E_q[z], [B, d] (of z_T for flows): active units and the variance law need it. */
  posteriorMean: Tensor;
  /** The posterior log-variance log σ²(x), [B, d]. */
  posteriorLogVar: Tensor;
}

/** What generation computes at a top latent z [N, d]: the decoder's mean and σ_x, and one ancestral draw. */
export interface GeneratedOutputs {
  /** E[x|·] at the decoder's input (probabilities for Bernoulli, μ_x for Gaussians), [N, D]. */
  mean: Tensor;
  /** σ_x at the decoder's input for Gaussian decoders, else null. */
  std: Tensor | null;
  /** x ~ p(x|z) through every stochastic layer below z (z1 ~ p(z1|z2) for hierarchical models), [N, D]. */
  sample: Tensor;
}

/** A latent-variable model whose pieces the objectives combine (VAE, IWAE, hierarchical VAE, AE). */
export interface LatentVariableModel {
  /** The parameters, by name (for saving, loading, counting). */
  readonly store: ParameterStore;
  /** The config the model was built from: what a run records to rebuild it (`createModel`). */
  readonly config?: ModelConfig;
  /** Parts given as instances rather than by registered name (`parts.ts`'s ModelParts): a config cannot rebuild them. */
  readonly givenParts?: readonly string[];
  /** Flattened data size D. */
  readonly dataSize: number;
  /** Latent size d (of the top layer for hierarchical models). */
  readonly latentSize: number;
  /** True for the deterministic autoencoder: no noise, no KL, z = μ(x). */
  readonly deterministic: boolean;
  /**
   * The most rows (examples × samples) one evaluation graph run should hold (default 5000). Models whose
   * rows carry large activations (a PixelCNN decoder's feature maps) set fewer, so the NLL's chunks fit in memory.
   */
  readonly evaluationRows?: number;
  /** The noise inputs {@link terms} reads for a batch of B with K samples each. */
  noise(batch: number, k: number): NoiseSpec[];
  /** The per-sample log terms for data x [B, D]; `noise` maps each {@link NoiseSpec} name to its input. */
  terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms;
  /** The decoder's mean E[x|z] for z [N, d] (probabilities for Bernoulli, μ_x for Gaussians). */
  decodeMean(z: Tensor): Tensor;
  /** The decoder's per-pixel standard deviation σ_x(z) [N, D] where it has one (Gaussian decoders), else null. */
  decodeStd(z: Tensor): Tensor | null;
  /** Latent samples from the prior p(z) for N draws, given the prior's noise (see {@link priorNoise}). */
  samplePrior(noise: Record<string, Tensor>, n: number): Tensor;
  /** The noise {@link samplePrior} reads for N draws. */
  priorNoise(n: number): NoiseSpec[];
  /** The noise {@link ancestral} reads for N draws (lower stochastic layers, the decoder's draw). */
  ancestralNoise?(n: number): NoiseSpec[];
  /**
   * Ancestral sampling below the top latent z [N, d] (seed 004, Algorithm 6; seed 002, hierarchical VAE):
   * every lower layer drawn from its conditional, then x ~ p(x|·). Models without it are sampled from
   * {@link decodeMean} / {@link decodeStd} at z.
   */
  ancestral?(z: Tensor, noise: Record<string, Tensor>): GeneratedOutputs;
}

/**
 * Per-step scalars an objective reads, fed as graph inputs so that schedules (KL warm-up, capacity
 * ramp) never rebuild the session.
 */
export interface ObjectiveInputs {
  /** Weight of the KL term: beta-VAE's β, or the annealing weight during warm-up. */
  beta: Tensor;
  /** Target KL C of controlled capacity, in nats. */
  capacity: Tensor;
}

/** The one record every objective returns (means over the batch, in nats per example). */
export interface StepOutput {
  /** The scalar to minimise. */
  loss: Tensor;
  /** The evidence lower bound L = E_q[log p(x|z)] − KL (for IWAE models, L_K). */
  elbo: Tensor;
  /** E_q[log p(x|z)]. */
  reconstruction: Tensor;
  /** KL(q(z|x) ‖ p(z)), closed form or Monte Carlo. */
  kl: Tensor;
  /** Mean KL per latent dimension, [d], where a closed form exists (see {@link ModelTerms.klPerLatent}), else null. */
  klPerLatent: Tensor | null;
}
