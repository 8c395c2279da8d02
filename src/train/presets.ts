/**
 * Named run configurations. Each is a partial {@link RunConfigInput}; command-line flags override it.
 */
import type { RunConfigInput } from './experiment.js';

/** The preset names. */
export const PRESET_NAMES = ['quick', 'iwae-mnist', 'vampprior-mnist', 'simple-vae-mnist-2d', 'beta-vae-dsprites', 'pixelvae-mnist', 'vlae-mnist'] as const;
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
   * batch 20, Adam (β₁ 0.9, β₂ 0.999, ε 1e-4) with lr 1e-3·10^(−i/7) for 3^i passes, i = 0..7
   * (3,280 epochs), K = 5 importance samples in training (set with --k), NLL with K = 5,000.
   */
  'iwae-mnist': {
    model: { kind: 'iwae', decoder: 'bernoulli', latent: 50, hidden: [200, 200], activation: 'tanh', k: 5 },
    objective: { kind: 'iwae', k: 5 },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 20, epochs: 3280, lr: 1e-3, adamEps: 1e-4, lrSchedule: { kind: 'iwae' }, validation: 400 },
    eval: { k: 5000 },
  },
  /**
   * Tomczak & Welling 2018 (VampPrior): 40 latents, two gated dense layers of 300 units, VampPrior
   * with 500 pseudo-inputs, KL warm-up over 100 epochs, Adam lr 5e-4, batch 100, dynamic binarization,
   * early stopping after 50 epochs without a better validation ELBO (10,000 held-out images).
   */
  'vampprior-mnist': {
    model: { kind: 'vae', decoder: 'bernoulli', latent: 40, hidden: [300, 300], architecture: 'gated', prior: 'vampprior', components: 500 },
    objective: { kind: 'warmup', beta: 1 },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 2000, lr: 5e-4, warmupEpochs: 100, validation: 10000, patience: 50 },
    eval: { k: 5000 },
  },
  /**
   * Seed 004's simple VAE: Gaussian decoder with learned σ_x(z), a 2-D latent space, grey-level MNIST.
   */
  'simple-vae-mnist-2d': {
    model: { kind: 'vae', decoder: 'gaussian', latent: 2, hidden: [512, 256], activation: 'relu' },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'none', batch: 100, epochs: 20, lr: 1e-3 },
    eval: { k: 1000 },
  },
  /**
   * Higgins et al. 2017: β = 4, 10 latents, convolutional encoder/decoder on 64×64 dSprites, Bernoulli
   * likelihood, Adam lr 1e-4, batch 64; 10,000 images held out for test.
   */
  'beta-vae-dsprites': {
    model: { kind: 'vae', decoder: 'bernoulli', latent: 10, architecture: 'conv', channels: [32, 32, 64, 64], hidden: [256, 256], activation: 'relu' },
    objective: { kind: 'beta', beta: 4 },
    train: { dataset: 'dsprites', binarize: 'none', batch: 64, epochs: 1, lr: 1e-4, test: 10000 },
    eval: { k: 1000, n: 2000 },
  },
  /**
   * PixelVAE (Gulrajani et al. 2017), reduced: MLP encoder 784-300-300-32, z mapped by the mirrored MLP to
   * a 4-channel 28×28 map added in every block of a gated PixelCNN (6 blocks, k = 5: 19 rows up, the
   * whole digit), Bernoulli pixels, dynamic binarization, 10 epochs. Paper: 79.66 nats.
   */
  'pixelvae-mnist': {
    model: { kind: 'pixelvae', decoder: 'bernoulli', latent: 32, hidden: [300, 300], pixelLayers: 6, pixelKernel: 5, pixelChannels: 32, condChannels: 4 },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 10, lr: 1e-3, validation: 1000 },
    eval: { k: 100, n: 1000 },
  },
  /**
   * VLAE's lossy decoder (Chen et al. 2017), reduced: as 'pixelvae-mnist' but one block of k = 3, a window
   * of the 2 rows above and 2 pixels to the left, so z must carry the global shape. The AF prior of the
   * paper is not built yet (standard normal prior). Paper: 79.03 (static) / 78.53 (dynamic) nats.
   */
  'vlae-mnist': {
    model: { kind: 'pixelvae', decoder: 'bernoulli', latent: 32, hidden: [300, 300], pixelLayers: 1, pixelKernel: 3, pixelChannels: 32, condChannels: 4 },
    objective: { kind: 'elbo' },
    train: { dataset: 'mnist', binarize: 'dynamic', batch: 100, epochs: 10, lr: 1e-3, validation: 1000 },
    eval: { k: 100, n: 1000 },
  },
};

/** Whether `name` is a preset. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
