/**
 * `overpruning` (seed 003, Asperti, "Sparsity in VAEs"): as the latent size grows only some latents
 * stay active; inactive ones have Var μ ≈ 0 and E σ² ≈ 1; each latent's variance along training.
 */
import { pick, runsOf } from '../budget.js';
import type { Experiment } from '../experiment.js';
import { latentMeasures } from '../measures.js';

const SIZES = [2, 8, 16, 32, 64] as const;
const WHY = 'with few training steps latents have not yet separated into active and inactive';

export const overpruning: Experiment = {
  name: 'overpruning',
  seeds: ['003'],
  regenerates: "active units against latent size; each latent's variance along training",
  budgets: {
    smoke: '4 steps on 256 images.',
    reduced: 'MLP VAE 784-512-256-d on MNIST, d = 2, 8, 16, 32, 64, 10 epochs of batch 100.',
    paper: "As reduced with the seed's batch 128 and 50 epochs.",
  },
  runs: (budget) =>
    runsOf(
      pick(budget, {
        reduced: { preset: 'quick', epochs: 10, evalK: 100, evalN: 2000 },
        paper: { preset: 'quick', epochs: 50, batch: 128, evalK: 500, evalN: 10000 },
      }),
      Object.fromEntries(SIZES.map((d) => [`latent-${d}`, { latent: d, report: d === 16 }])),
    ),
  measureRun: latentMeasures,
  comparisons: [
    ...SIZES.filter((d) => d >= 32).map((d) => ({
      quantity: `d = ${d}: active units`,
      key: `latent-${d}.activeUnits`,
      source: 'seed 003, "Sparsity": typically only a limited number of variables is actually used',
      claim: { text: `fewer than d = ${d}`, holds: (v: number) => v < d },
      why: WHY,
    })),
    {
      quantity: 'd = 64: largest Var μ of an inactive latent',
      key: 'latent-64.inactiveMaxVarMu',
      seed: 0,
      source: 'seed 003, "Inactive variables": a variance close to 0',
      tolerance: { reduced: 0.01, paper: 0.01 },
      why: WHY,
    },
    {
      quantity: 'd = 64: mean E σ² of the inactive latents',
      key: 'latent-64.inactiveMeanSigma2',
      seed: 1,
      source: 'seed 003, "Inactive variables": an average variance σ²(X) close to 1',
      tolerance: { reduced: 0.1, paper: 0.05 },
      why: WHY,
    },
    {
      quantity: 'd = 16: Var μ + E σ², mean over latents',
      key: 'latent-16.varianceLawMean',
      seed: 1,
      source: 'seed 003 (and 000): the variance law holds for active and inactive latents alike',
      tolerance: { reduced: 0.1, paper: 0.05 },
      why: WHY,
    },
  ],
  figures: [
    {
      source: 'seed 003, "Mnist case"',
      shows: 'evolution of the variance along training for a latent space of 16 variables: some rise, the rest stay at 0',
      run: 'latent-16',
      file: 'latent-evolution.svg',
      caption: "each latent's Var μ and E σ² at every validation (d = 16)",
    },
    {
      source: 'seed 003, "Inactive variables"',
      shows: 'inactive latents: Var μ ≈ 0, E σ² ≈ 1',
      run: 'latent-16',
      file: 'variance-law.svg',
      caption: 'per latent Var μ and E σ² (d = 16)',
    },
    {
      source: 'seed 003, "Sparsity"',
      shows: 'only some latents carry KL',
      run: 'latent-16',
      file: 'kl-per-latent.svg',
      caption: 'KL per latent (d = 16)',
    },
  ],
};
