/**
 * `ae-vs-vae` (seeds 000, 001): a deterministic autoencoder's codes follow no known distribution, so
 * decoding z ~ N(0, I) gives no digits; a VAE forces Q(z) towards N(0, I) and its decoder generates.
 */
import { pick, runsOf } from '../budget.js';
import { latentMeasures } from '../measures.js';
import type { Experiment, RunContext } from '../experiment.js';

/** The AE's codes have no σ: its "variance law" reads Var μ only; diagnostics that need σ may not apply. */
async function measure(run: RunContext): Promise<Record<string, number | null>> {
  try {
    return await latentMeasures(run);
  } catch {
    return {};
  }
}

const far = (v: number) => Math.abs(v - 1) > 0.5;

export const aeVsVae: Experiment = {
  name: 'ae-vs-vae',
  seeds: ['000', '001'],
  regenerates: "sampling N(0, I) through a deterministic AE's decoder vs a VAE's",
  budgets: {
    smoke: '4 steps on 256 images: pictures of untrained decoders.',
    reduced: '10 epochs of MNIST, MLP 784-512-256-16, Bernoulli decoder, for both models.',
    paper: 'As reduced: the seeds give no training length (pictures only).',
  },
  runs: (budget) =>
    runsOf(
      pick(budget, {
        reduced: { preset: 'quick', latent: 16, epochs: 10, evalK: 100, evalN: 2000 },
        paper: { preset: 'quick', latent: 16, epochs: 50, evalK: 500, evalN: 10000 },
      }),
      {
        ae: { model: 'ae', report: true },
        vae: { model: 'vae', report: true },
      },
    ),
  measureRun: measure,
  comparisons: [
    {
      quantity: 'VAE: variance of Q(z), mean over latents',
      key: 'vae.aggregateVariance',
      seed: 1,
      source: 'seed 000, "Variational autoencoder": latent variables forced to N(0, 1)',
      tolerance: { reduced: 0.15, paper: 0.1 },
      why: 'Q(z) approaches N(0, I) only as the average KL is minimised',
    },
    {
      quantity: 'VAE: largest |mean of Q(z)|',
      key: 'vae.aggregateMeanAbs',
      seed: 0,
      source: 'seed 000, "Variational autoencoder"',
      tolerance: { reduced: 0.1, paper: 0.1 },
      why: 'as above',
    },
    {
      quantity: 'AE: variance of its codes, mean over latents',
      key: 'ae.aggregateVariance',
      source: 'seed 000, "Deterministic autoencoder": we do not know the distribution of latent variables',
      claim: { text: 'not N(0, 1): variance away from 1 (|v − 1| > 0.5)', holds: far },
      why: "an AE's code scale is arbitrary; it may land near 1 by chance",
    },
  ],
  figures: [
    {
      source: 'seed 000, "Deterministic autoencoder"',
      shows: "sampling in the AE's latent space cannot generate: the latent distribution is unknown",
      run: 'ae',
      file: 'samples-mean.png',
      caption: "z ~ N(0, I) through the AE's decoder (μ_x(z))",
    },
    {
      source: 'seed 001, "Generating new samples with VAE"',
      shows: "new digits from z ~ N(0, I) through the VAE's decoder",
      run: 'vae',
      file: 'samples-mean.png',
      caption: "z ~ N(0, I) through the VAE's decoder (μ_x(z))",
    },
    {
      source: 'seed 000, "The marginal posterior"',
      shows: 'Q(z) = Σ_X Q(z|X) ≈ N(0, 1) for the VAE',
      run: 'vae',
      file: 'latent-scatter.svg',
      caption: "the VAE's posterior means of test digits (two most active latents)",
    },
    {
      source: 'seed 000, "Deterministic autoencoder"',
      shows: "the AE's codes follow no known distribution",
      run: 'ae',
      file: 'latent-scatter.svg',
      caption: "the AE's codes of test digits (two latents)",
    },
  ],
};
