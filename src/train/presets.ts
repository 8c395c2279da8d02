/**
 * Named run configurations. Each is a partial {@link RunConfigInput}; command-line flags override it.
 */
import type { RunConfigInput } from './experiment.js';

/** The preset names. */
export const PRESET_NAMES = [
  'quick',
  'iwae-mnist',
  'iwae2-mnist',
  'vampprior-mnist',
  'simple-vae-mnist-2d',
  'beta-vae-dsprites',
  'beta-vae-dsprites-mlp',
  'capacity-dsprites',
  'm2-mnist-100',
  'pixelvae-mnist',
  'vlae-mnist',
] as const;
/** One preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** The presets by name. */
export const PRESETS: { readonly [P in PresetName]: RunConfigInput } = {
  /**
   * The default (`npm start`): an MLP VAE on dynamically binarized MNIST, 784-512-256-32, 8 epochs;
   * NLL with K = 500 on 2,000 test images. About a minute on two cores.
   */
  quick: {
    model: { kind: 'vae', decoder: 'bernoulli', latent: 32, hidden: [512, 256], activation: 'relu' },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 8, lr: 1e-3, validation: 1000 },
    eval: { k: 500, n: 2000 },
  },
  /**
   * Burda et al. 2016 (IWAE), one stochastic layer: 784-200-200-50 tanh encoder and mirrored decoder,
   * Bernoulli likelihood, dynamically binarized MNIST with the last 400 training images held out,
   * batch 20, K = 5 importance samples in training (set with --k), NLL with K = 5,000. As in the authors'
   * code: Glorot-uniform weights, zero biases, the decoder's output bias at the logit of each pixel's
   * training mean. Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-4 (the paper's §5 values; β₁ = 0.9 is also
   * vaelab's default, so the preset only sets ε) and lr 1e-3·10^(−i/7) for 3^i passes, i = 0..7 (3,280 epochs).
   */
  'iwae-mnist': {
    model: {
      kind: 'iwae',
      decoder: 'bernoulli',
      latent: 50,
      hidden: [200, 200],
      activation: 'tanh',
      k: 5,
      init: 'glorot',
      decoderBias: 'data-logit',
    },
    objective: { kind: 'iwae', k: 5 },
    train: {
      dataset: 'mnist',
      binarize: 'dynamic',
      batch: 20,
      epochs: 3280,
      lr: 1e-3,
      adamEps: 1e-4,
      lrSchedule: { kind: 'iwae' },
      validation: 400,
    },
    eval: { k: 5000 },
  },
  /**
   * Burda et al. 2016 (IWAE), two stochastic layers: x → 200-200 tanh → z1 (100) → 100-100 tanh → z2 (50),
   * and back; otherwise as `iwae-mnist` (Glorot init, data-logit output bias, Adam ε 1e-4, the 3^i schedule).
   */
  'iwae2-mnist': {
    model: {
      kind: 'hvae',
      decoder: 'bernoulli',
      latent1: 100,
      hidden: [200, 200],
      hidden2: [100, 100],
      latent: 50,
      activation: 'tanh',
      k: 5,
      init: 'glorot',
      decoderBias: 'data-logit',
    },
    objective: { kind: 'iwae', k: 5 },
    train: {
      dataset: 'mnist',
      binarize: 'dynamic',
      batch: 20,
      epochs: 3280,
      lr: 1e-3,
      adamEps: 1e-4,
      lrSchedule: { kind: 'iwae' },
      validation: 400,
    },
    eval: { k: 5000 },
  },
  /**
   * Tomczak & Welling 2018 (VampPrior): 40 latents, two gated dense layers of 300 units, VampPrior
   * with 500 pseudo-inputs, KL warm-up over 100 epochs, Adam lr 5e-4, batch 100, dynamic binarization,
   * early stopping after 50 epochs without a better validation ELBO (10,000 held-out images). As in the
   * authors' code: encoder log σ² through hardtanh(−6, 2), pseudo-inputs through hardtanh(0, 1), He init.
   */
  'vampprior-mnist': {
    model: {
      kind: 'vae',
      decoder: 'bernoulli',
      latent: 40,
      hidden: [300, 300],
      architecture: 'gated',
      prior: 'vampprior',
      components: 500,
      encoderLogVarRange: [-6, 2],
      pseudoInputs: 'hardtanh',
      init: 'he',
    },
    objective: { kind: 'warmup', beta: 1 },
    train: {
      dataset: 'mnist',
      binarize: 'dynamic',
      batch: 100,
      epochs: 2000,
      lr: 5e-4,
      warmupEpochs: 100,
      validation: 10000,
      patience: 50,
    },
    eval: { k: 5000 },
  },
  /**
   * Seed 004's simple VAE: Gaussian decoder with learned σ_x(z), a 2-D latent space, grey-level MNIST
   * (dequantized, the default for continuous decoders on 8-bit data), with log σ_x² ≥ −2 ln 256: no σ_x
   * below one grey level, so the density stays bounded (seed 004, §5.3).
   */
  'simple-vae-mnist-2d': {
    model: { kind: 'vae', decoder: 'gaussian', latent: 2, hidden: [512, 256], activation: 'relu', decoderMinLogVar: -2 * Math.log(256) },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'none', batch: 100, epochs: 20, lr: 1e-3 },
    eval: { k: 1000 },
  },
  /**
   * Higgins et al. 2017: β = 4, 10 latents, convolutional encoder/decoder on 64×64 dSprites, Bernoulli
   * likelihood, Adam lr 1e-4, batch 64; 10,000 images held out for test. Reduced budget: 20,000 steps
   * (1.8 epochs; about an hour at the ~170 ms per step the conv step takes on one core of the 2-core
   * machine). Full budget: `--max-steps` larger, or `--epochs N` with no step limit in a config file.
   */
  'beta-vae-dsprites': {
    model: {
      kind: 'vae',
      decoder: 'bernoulli',
      latent: 10,
      architecture: 'conv',
      channels: [32, 32, 64, 64],
      hidden: [256, 256],
      activation: 'relu',
    },
    objective: { kind: 'beta', beta: 4 },
    train: { dataset: 'dsprites', binarize: 'none', batch: 64, epochs: 2, maxSteps: 20_000, lr: 1e-4, test: 10000 },
    eval: { k: 1000, n: 2000 },
  },
  /**
   * Higgins et al. 2017's fully connected dSprites β-VAE: encoder 4096-1200-1200-(2×10), decoder
   * 10-1200-1200-1200-4096, β = 4, Adam lr 1e-4, batch 64. Same reduced budget as `beta-vae-dsprites`
   * (20,000 steps); the full budget is an option (`--max-steps`).
   */
  'beta-vae-dsprites-mlp': {
    model: {
      kind: 'vae',
      decoder: 'bernoulli',
      latent: 10,
      architecture: 'mlp',
      hidden: [1200, 1200],
      decoderHidden: [1200, 1200, 1200],
      activation: 'relu',
    },
    objective: { kind: 'beta', beta: 4 },
    train: { dataset: 'dsprites', binarize: 'none', batch: 64, epochs: 2, maxSteps: 20_000, lr: 1e-4, test: 10000 },
    eval: { k: 1000, n: 2000 },
  },
  /**
   * Burgess et al. 2018 (controlled capacity): L = E_q log p(x|z) − γ |KL − C| with γ = 1000 and C raised
   * linearly from 0 to 25 nats, the conv β-VAE's networks, Adam lr 5e-4, batch 64. Reduced budget: C
   * ramps over 15,000 steps and training stops at 20,000 (about an hour on the 2-core machine); the
   * paper's ramp over 100,000 iterations is `--capacity 25 --capacity-steps 100000 --max-steps N`.
   */
  'capacity-dsprites': {
    model: {
      kind: 'vae',
      decoder: 'bernoulli',
      latent: 10,
      architecture: 'conv',
      channels: [32, 32, 64, 64],
      hidden: [256, 256],
      activation: 'relu',
    },
    objective: { kind: 'capacity', capacity: { gamma: 1000, max: 25, steps: 15_000 } },
    train: { dataset: 'dsprites', binarize: 'none', batch: 64, epochs: 2, maxSteps: 20_000, lr: 5e-4, test: 10000 },
    eval: { k: 1000, n: 2000 },
  },
  /**
   * Kingma et al. 2014, M2 with N = 100 labels (10 per class): 50 latents, one hidden layer of 500
   * softplus units in q(y|x), q(z|x,y) and p(x|y,z), Bernoulli likelihood, dynamically binarized MNIST,
   * batch 100 unlabelled + the 100 labelled per step, α = 0.1·N. Adam lr 1e-3 (at the paper's 3e-4 the
   * validation error rose from 20 % after one epoch to 30 % after seven; at 1e-3 it fell to 16 % after nine);
   * 100 epochs, about an hour on two cores. The error of q(y|x) on the 1,000 held-out (labelled)
   * validation images is logged at each epoch, not used for selection; test error on all 10,000 test images.
   */
  'm2-mnist-100': {
    model: { kind: 'm2', decoder: 'bernoulli', latent: 50, hidden: [500], activation: 'softplus', classes: 10 },
    objective: { kind: 'elbo' },
    train: {
      dataset: 'mnist',
      binarize: 'dynamic',
      batch: 100,
      epochs: 100,
      lr: 1e-3,
      labels: 100,
      labelledBatch: 100,
      validation: 1000,
    },
    eval: { k: 100, n: 1000 },
  },
  /**
   * PixelVAE (Gulrajani et al. 2017), reduced: MLP encoder 784-300-300-32, z mapped by the mirrored MLP to
   * a 4-channel 28×28 map added in every block of a gated PixelCNN (6 blocks, k = 5: 13 rows up),
   * Bernoulli pixels, dynamic binarization. Reduced budget: 3 epochs, about an hour at the ~2.1 s per step
   * the step takes on one core of the 2-core machine; the paper's budget is `--epochs N` (it trained for
   * thousands). Paper: 79.66 nats.
   */
  'pixelvae-mnist': {
    model: {
      kind: 'pixelvae',
      decoder: 'bernoulli',
      latent: 32,
      hidden: [300, 300],
      pixelLayers: 6,
      pixelKernel: 5,
      pixelChannels: 32,
      condChannels: 4,
    },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 3, lr: 1e-3, validation: 1000 },
    eval: { k: 100, n: 1000 },
  },
  /**
   * VLAE's lossy decoder (Chen et al. 2017), reduced: as 'pixelvae-mnist' but one block of k = 3, a window
   * of the 2 rows above and 2 pixels to the left, so z must carry the global shape, and the paper's AF prior
   * (2 MADE steps of 64 hidden units). Reduced budget: 40 epochs, about an hour at ~0.16 s per step on one
   * core; the paper's is `--epochs N`. Paper: 79.03 (static) / 78.53 (dynamic) nats.
   */
  'vlae-mnist': {
    model: {
      kind: 'pixelvae',
      decoder: 'bernoulli',
      latent: 32,
      hidden: [300, 300],
      pixelLayers: 1,
      pixelKernel: 3,
      pixelChannels: 32,
      condChannels: 4,
      prior: 'af',
      priorFlowSteps: 2,
      priorFlowHidden: [64],
    },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 40, lr: 1e-3, validation: 1000 },
    eval: { k: 100, n: 1000 },
  },
};

/** Whether `name` is a preset. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
