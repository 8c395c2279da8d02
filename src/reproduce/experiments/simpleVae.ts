/**
 * `simple-vae` (seed 004, chapter 5 §5.2–5.3): the simple VAE with a Gaussian decoder and learned
 * σ_x(z) reconstructs and generates poorly; ancestral vs μ_x vs μ_x + α σ_x samples; a fixed small σ_x
 * or a small β restores the reconstructions; a large β collapses the posterior.
 */
import { pick, runsOf } from '../budget.js';
import { atLeast, below, reported } from '../claims.js';
import type { Budget, Experiment, RunContext } from '../experiment.js';
import { pcaMeasures } from '../measures.js';

/** Training images the PCA baseline is fitted to. */
const FIT_N: Record<Budget, number> = { smoke: 256, reduced: 10_000, paper: 60_000 };

const WHY = 'short training: the decoders have not settled';

export const simpleVae: Experiment = {
  name: 'simple-vae',
  seeds: ['004'],
  regenerates: 'reconstructions, ancestral vs μ_x vs μ_x + α σ_x samples, learned vs fixed σ_x, β small vs large',
  budgets: {
    smoke: '4 steps on 256 images; pictures of one run only.',
    reduced: 'MLP 784-512-256-d, Gaussian decoder on dequantized grey MNIST (preset simple-vae-mnist-2d), 10 epochs per run.',
    paper: 'As reduced, 50 epochs.',
  },
  runs: (budget) =>
    runsOf(
      pick(budget, {
        reduced: { preset: 'simple-vae-mnist-2d', epochs: 10, evalK: 100, evalN: 1000 },
        paper: { preset: 'simple-vae-mnist-2d', epochs: 50, evalK: 1000, evalN: 10000 },
      }),
      {
        'learned-2d': { latent: 2, report: budget !== 'smoke' },
        'learned-20d': { latent: 20, report: true },
        'fixed-1-20d': { latent: 20, decoder: 'gaussian-fixed', sigma: 1, report: budget !== 'smoke' },
        'fixed-small-20d': { latent: 20, decoder: 'gaussian-fixed', sigma: 0.001, report: budget !== 'smoke' },
        'beta-small-20d': { latent: 20, beta: 0.1 },
        'beta-large-2d': { latent: 2, beta: 20, report: budget !== 'smoke' },
      },
    ),
  // At the smoke budget only the run the PCA comparison needs is measured (each 784 × 784 PCA costs seconds).
  measureRun: (run: RunContext) =>
    run.budget === 'smoke' && run.name !== 'learned-20d' ? Promise.resolve({}) : pcaMeasures(run, FIT_N[run.budget]),
  comparisons: [
    {
      quantity: 'fixed σ_x = 0.001, d = 20: reconstruction MSE per image',
      key: 'fixed-small-20d.vaeMse',
      source: 'seed 004, Figures 5.14 vs 5.5: a small fixed σ_x gives far better reconstructions than a learned σ_x',
      claim: { text: "below the learned-σ_x VAE's (d = 20)", holds: below('learned-20d.vaeMse') },
      why: WHY,
    },
    {
      quantity: 'β = 0.1, d = 20: reconstruction MSE per image',
      key: 'beta-small-20d.vaeMse',
      source: 'seed 004, Figures 5.9 vs 5.5: a small β gives better reconstructions',
      claim: { text: "below the learned-σ_x VAE's at β = 1 (d = 20)", holds: below('learned-20d.vaeMse') },
      why: WHY,
    },
    {
      quantity: 'learned σ_x, d = 20: reconstruction MSE per image',
      key: 'learned-20d.vaeMse',
      source: 'seed 004, §5.2: PCA with d = 10 reconstructs as well as the simple VAE with d = 20 ("a disappointment")',
      claim: { text: "no better than PCA's at the same d = 20", holds: atLeast('learned-20d.pcaMse') },
      why: "with enough training the VAE may beat PCA: the seed's observation is about its own implementation",
    },
    {
      quantity: 'PCA, d = 20: reconstruction MSE per image',
      key: 'learned-20d.pcaMse',
      source: 'seed 004, Figure 5.6 (PCA reconstructions, Bishop)',
      claim: { text: "reported beside the VAE's", holds: reported },
      why: '',
    },
    {
      quantity: 'β = 20, d = 2: active units',
      key: 'beta-large-2d.activeUnits',
      source: 'seed 004, Figure 5.16d: with a large β, μ_x(z) is constant in z (posterior collapse)',
      claim: { text: "fewer than the β = 1 VAE's (d = 2)", holds: below('learned-2d.activeUnits') },
      why: 'β = 20 may leave one latent active on MNIST',
      claimBudgets: ['paper'],
    },
  ],
  figures: [
    {
      source: 'seed 004, Figure 5.4',
      shows: 'reconstructions μ_x(q(x)) of the simple VAE with d = 2: blurry, sometimes a different digit',
      run: 'learned-2d',
      file: 'reconstructions.png',
      caption: 'test images and their reconstructions, learned σ_x, d = 2',
    },
    {
      source: 'seed 004, Figure 5.5',
      shows: 'reconstructions with d = 20: still blurry',
      run: 'learned-20d',
      file: 'reconstructions.png',
      caption: 'learned σ_x, d = 20',
    },
    {
      source: 'seed 004, Figure 5.7',
      shows: 'ancestral samples x ~ p(x|z): noise',
      run: 'learned-20d',
      file: 'samples-ancestral.png',
      caption: 'ancestral samples, learned σ_x',
    },
    {
      source: 'seed 004, Figure 5.12',
      shows: 'samples μ_x(z), z ~ N(0, I): digits',
      run: 'learned-20d',
      file: 'samples-mean.png',
      caption: 'μ_x(z) at the same z',
    },
    {
      source: 'seed 004, Figure 5.15',
      shows: 'μ_x(z) + α σ_x(z): just as good as μ_x(z)',
      run: 'learned-20d',
      file: 'samples-alpha.png',
      caption: 'μ_x(z) + α σ_x(z), α = 0.5, at the same z',
    },
    {
      source: 'seed 004, Figure 5.11',
      shows: 'reconstructions with σ_x fixed to 1, d = 20: better than learned σ_x',
      run: 'fixed-1-20d',
      file: 'reconstructions.png',
      caption: 'σ_x = 1 fixed, d = 20',
    },
    {
      source: 'seed 004, Figure 5.14',
      shows: 'reconstructions with σ_x = 0.0001, d = 20: impressive',
      run: 'fixed-small-20d',
      file: 'reconstructions.png',
      caption: 'σ_x = 0.001 fixed, d = 20',
    },
    {
      source: 'seed 004, Figure 5.17',
      shows: 'the decoded 2-D latent space',
      run: 'learned-2d',
      file: 'manifold.png',
      caption: 'μ_x(z) on a grid of Gaussian quantiles, d = 2',
    },
    {
      source: 'seed 004, Figure 5.16d',
      shows: 'with a large β, μ_x(z) is the same average digit everywhere',
      run: 'beta-large-2d',
      file: 'manifold.png',
      caption: 'μ_x(z) on the grid, β = 20, d = 2',
    },
  ],
};
