/**
 * `iwae-table` (seed 002, the IWAE table from Burda et al. 2016, Table 1, MNIST columns): test NLL and
 * active units of VAE and IWAE with 1 and 2 stochastic layers, trained with k = 1, 5, 50 samples.
 * k = 1 is one model for both (the VAE and IWAE bounds coincide), as in the table.
 */
import type { RunFlags } from '../../train/flagConfig.js';
import { pick } from '../budget.js';
import type { Comparison, Experiment, ExperimentRun } from '../experiment.js';

/** Seed 002's IWAE table, MNIST: [layers, k, VAE NLL, VAE active units, IWAE NLL, IWAE active units] (two layers: first + second). */
const TABLE: ReadonlyArray<readonly [1 | 2, number, number, string, number, string]> = [
  [1, 1, 86.76, '19', 86.76, '19'],
  [1, 5, 86.47, '20', 85.54, '22'],
  [1, 50, 86.35, '20', 84.78, '25'],
  [2, 1, 85.33, '16+5', 85.33, '16+5'],
  [2, 5, 85.01, '17+5', 83.89, '21+5'],
  [2, 50, 84.78, '17+5', 82.9, '26+7'],
];

const runName = (model: 'vae' | 'iwae', layers: number, k: number): string => (k === 1 ? `L${layers}-k1` : `${model}-L${layers}-k${k}`);
const units = (s: string): number => s.split('+').reduce((a, b) => a + Number(b), 0);

const WHY_NLL =
  'the paper trains 3,280 epochs with a decaying learning rate; the reduced budget trains 3, so the NLL is still falling (the order across k and models is what to read)';
const WHY_AU =
  'after 3 epochs nearly every latent is still active (Cov_x E[z|x] > 0.01); the latents the paper finds inactive fall back to the prior only over its 3,280 epochs (overpruning, seed 003)';

function comparisons(): Comparison[] {
  return TABLE.flatMap(([layers, k, vaeNll, vaeAu, iwaeNll, iwaeAu]) => {
    const models =
      k === 1
        ? ([['vae', vaeNll, vaeAu]] as const)
        : ([
            ['vae', vaeNll, vaeAu],
            ['iwae', iwaeNll, iwaeAu],
          ] as const);
    return models.flatMap(([m, nll, au]) => {
      const run = runName(m, layers, k);
      const label =
        k === 1
          ? `VAE = IWAE, ${layers} layer${layers > 1 ? 's' : ''}, k = 1`
          : `${m.toUpperCase()}, ${layers} layer${layers > 1 ? 's' : ''}, k = ${k}`;
      const source = `seed 002, IWAE table (Burda et al. 2016, Table 1), MNIST, ${label}`;
      return [
        {
          quantity: `${label}: test NLL (nats)`,
          key: `${run}.testNll`,
          seed: nll,
          source,
          tolerance: { reduced: 15, paper: 1.5 },
          why: WHY_NLL,
        },
        {
          quantity: `${label}: active units${layers === 2 ? ` (seed ${au}, total)` : ''}`,
          key: `${run}.activeUnits`,
          seed: units(au),
          source,
          tolerance: { reduced: 12, paper: 4 },
          why: WHY_AU,
        },
      ];
    });
  });
}

export const iwaeTable: Experiment = {
  name: 'iwae-table',
  seeds: ['002'],
  regenerates: 'test NLL and active units for VAE / IWAE, 1 and 2 stochastic layers, k = 1, 5, 50',
  budgets: {
    smoke: '4 steps on 256 images, NLL with K = 4 on 64 test images: numbers far from the table.',
    reduced:
      "The paper's architectures and batch 20 (presets iwae-mnist, iwae2-mnist), 3 epochs instead of 3,280, NLL with K = 1,000 on 1,000 test images.",
    paper: "The paper's 3,280 epochs (3^i passes at lr 1e-3·10^(−i/7)), NLL with K = 5,000 on all 10,000 test images: weeks on two cores.",
  },
  runs: (budget) => {
    const budgetFlags = (layers: number): RunFlags =>
      pick(budget, {
        reduced: { preset: layers === 1 ? 'iwae-mnist' : 'iwae2-mnist', epochs: 3, evalK: 1000, evalN: 1000 },
        paper: { preset: layers === 1 ? 'iwae-mnist' : 'iwae2-mnist', evalK: 5000, evalN: 10000, checkpointEvery: 10000 },
      });
    const runs: ExperimentRun[] = [];
    for (const layers of [1, 2]) {
      for (const k of [1, 5, 50]) {
        for (const m of k === 1 ? (['iwae'] as const) : (['vae', 'iwae'] as const)) {
          runs.push({
            name: runName(m === 'iwae' && k === 1 ? 'vae' : m, layers, k),
            flags: { report: false, ...budgetFlags(layers), k, objective: m === 'vae' ? 'elbo' : 'iwae' },
          });
        }
      }
    }
    return runs;
  },
  comparisons: comparisons(),
  figures: [],
};
