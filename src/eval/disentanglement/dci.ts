/**
 * DCI (Eastwood & Williams 2018, "A framework for the quantitative evaluation of disentangled
 * representations"): a lasso regressor per factor (`lasso.ts`) gives the importance R_jk = |w_jk| of
 * latent j for factor k; disentanglement and completeness are one minus normalised entropies of R's
 * rows and columns, weighted as disentanglement_lib weights them; informativeness is how well the
 * regressors predict the factors on held-out codes.
 */
import { Random } from '../../engine/random.js';
import { sampleCodes, type FactorSpace, type Representation } from './factors.js';
import { fitLasso, predictLasso } from './lasso.js';

/** Options of {@link dciScore}. */
export interface DciOptions {
  /** Codes the regressors are fitted on (default 10,000, as disentanglement_lib). */
  readonly train?: number;
  /** Held-out codes for informativeness (default 5,000). */
  readonly test?: number;
  /** Lasso penalty α on standardised codes and factors (default 0.01). */
  readonly alpha?: number;
  readonly seed?: number;
}

/** The three DCI numbers and the importance matrix. */
export interface DciResult {
  /** D = Σ_j ρ_j (1 − H_K(P_j·)), in [0, 1]. */
  readonly disentanglement: number;
  /** C = Σ_k ρ̃_k (1 − H_d(P̃_·k)), in [0, 1]. */
  readonly completeness: number;
  /** Mean over factors of the held-out R² = 1 − MSE_k / Var(v_k) of the lasso prediction (1: perfectly predicted; ≤ 0: no better than the mean). */
  readonly informativeness: number;
  /** R_jk = |w_jk|, latents × factors. */
  readonly importance: number[][];
}

/** Entropy of the distribution proportional to `p` (+1e-11 each, as disentanglement_lib), in base `base`. */
function normalisedEntropy(p: readonly number[], base: number): number {
  const q = p.map((v) => v + 1e-11);
  const total = q.reduce((s, v) => s + v, 0);
  return -q.reduce((s, v) => s + (v / total) * Math.log(v / total), 0) / Math.log(base);
}

/**
 * D and C of an importance matrix R (d latents × K factors), Eastwood & Williams 2018 eq. 1–3:
 * P_jk = R_jk / Σ_k' R_jk', D_j = 1 − H_K(P_j·), ρ_j = Σ_k R_jk / Σ R, D = Σ_j ρ_j D_j;
 * P̃_jk = R_jk / Σ_j' R_j'k, C_k = 1 − H_d(P̃_·k), weighted by ρ̃_k = Σ_j R_jk / Σ R (disentanglement_lib).
 */
export function dciFromImportance(R: readonly (readonly number[])[]): { disentanglement: number; completeness: number } {
  const d = R.length;
  const K = R[0]?.length ?? 0;
  let total = R.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const M = total > 0 ? R : R.map((row) => row.map(() => 1));
  if (total === 0) total = d * K;
  const disentanglement =
    K > 1 ? M.reduce((s, row) => s + (row.reduce((a, b) => a + b, 0) / total) * (1 - normalisedEntropy(row, K)), 0) : 1;
  let completeness = 0;
  for (let k = 0; k < K; k++) {
    const col = M.map((row) => row[k]);
    completeness +=
      d > 1 ? (col.reduce((a, b) => a + b, 0) / total) * (1 - normalisedEntropy(col, d)) : col.reduce((a, b) => a + b, 0) / total;
  }
  return { disentanglement, completeness };
}

/** DCI of `rep` over uniformly drawn factor rows. The ground truth scores D = C = 1, informativeness 1. */
export async function dciScore(space: FactorSpace, rep: Representation, opts: DciOptions = {}): Promise<DciResult> {
  const rng = new Random(opts.seed ?? 0);
  const nTrain = opts.train ?? 10_000;
  const nTest = opts.test ?? 5_000;
  const K = space.sizes.length;
  const d = rep.size;
  const train = await sampleCodes(space, rep, nTrain, rng);
  const test = await sampleCodes(space, rep, nTest, rng);
  const importance = Array.from({ length: d }, () => new Array<number>(K).fill(0));
  let r2 = 0;
  for (let k = 0; k < K; k++) {
    const y = Float64Array.from({ length: nTrain }, (_, i) => train.factors[i * K + k]);
    const model = fitLasso(train.codes, y, nTrain, d, opts.alpha ?? 0.01);
    for (let j = 0; j < d; j++) importance[j][k] = Math.abs(model.weights[j]);
    const pred = predictLasso(model, test.codes, nTest);
    let mean = 0;
    for (let i = 0; i < nTest; i++) mean += test.factors[i * K + k] / nTest;
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < nTest; i++) {
      sse += (pred[i] - test.factors[i * K + k]) ** 2;
      sst += (test.factors[i * K + k] - mean) ** 2;
    }
    r2 += (sst > 0 ? 1 - sse / sst : 0) / K;
  }
  return { ...dciFromImportance(importance), informativeness: r2, importance };
}
