/**
 * The FactorVAE disentanglement metric (Kim & Mnih 2018, "Disentangling by factorising", section 4),
 * with disentanglement_lib's defaults: batch L = 64, 10,000 training and 5,000 evaluation votes, the
 * global variances from 10,000 codes, latents with std < 0.05 dropped (its study configs).
 */
import { Random } from '../../engine/random.js';
import { checkCodes, sampleCodes, sampleFactors, type FactorSpace, type Representation } from './factors.js';

/** Options of {@link factorVaeScore}. */
export interface FactorVaeScoreOptions {
  /** Codes per vote, L (default 64). */
  readonly batch?: number;
  /** Training votes (default 10,000). */
  readonly train?: number;
  /** Evaluation votes (default 5,000). */
  readonly eval?: number;
  /** Codes that estimate the global variances (default 10,000). */
  readonly varianceN?: number;
  /** Latents whose std over the data is below this are collapsed and dropped (default 0.05). */
  readonly pruneStd?: number;
  readonly seed?: number;
  /** Votes encoded per call of the representation (default 64). */
  readonly votesPerCall?: number;
}

/** The score, the classifier's accuracy on its training votes and on fresh votes. */
export interface FactorVaeScore {
  readonly trainAccuracy: number;
  readonly evalAccuracy: number;
  /** Latents kept (std >= pruneStd). */
  readonly activeDims: number;
}

/** Unbiased variance (ddof = 1) of each of the `d` columns of `codes` [n, d]. */
export function columnVariances(codes: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += codes[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v[j] += (codes[i * d + j] - mean[j]) ** 2 / (n - 1);
  return v;
}

/**
 * The majority-vote classifier of a vote matrix `votes` [K, d] (votes[k][j]: how often latent j had
 * the least normalised variance when factor k was fixed): latent j predicts argmax_k votes[k][j].
 * Returns that classifier and its accuracy on `votes` (Σ_j votes[c_j][j] / Σ votes).
 */
export function majorityVote(votes: readonly (readonly number[])[]): { classifier: number[]; accuracy: number } {
  const K = votes.length;
  const d = votes[0]?.length ?? 0;
  const classifier = Array.from({ length: d }, (_, j) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (votes[k][j] > votes[best][j]) best = k;
    return best;
  });
  return { classifier, accuracy: voteAccuracy(votes, classifier) };
}

/** Σ_j votes[c_j][j] / Σ votes: the accuracy of classifier `c` on `votes`. */
export function voteAccuracy(votes: readonly (readonly number[])[], classifier: readonly number[]): number {
  let hits = 0;
  let total = 0;
  votes.forEach((row, k) =>
    row.forEach((v, j) => {
      total += v;
      if (classifier[j] === k) hits += v;
    }),
  );
  return total > 0 ? hits / total : 0;
}

/**
 * `n` votes: per vote, a factor k ~ U{1..K} is fixed at one random value over L drawn factor rows;
 * the vote goes to the active latent of least Var_L[z_j] / Var_data[z_j] (Kim & Mnih 2018).
 */
async function vote(
  space: FactorSpace,
  rep: Representation,
  n: number,
  L: number,
  active: number[],
  globalVar: Float64Array,
  rng: Random,
  perCall: number,
): Promise<number[][]> {
  const K = space.sizes.length;
  const d = rep.size;
  const votes = Array.from({ length: K }, () => new Array<number>(active.length).fill(0));
  for (let start = 0; start < n; start += perCall) {
    const m = Math.min(perCall, n - start);
    const rows = new Int32Array(m * L * K);
    const fixed = new Int32Array(m);
    for (let p = 0; p < m; p++) {
      const k = (fixed[p] = rng.int(K));
      const v = sampleFactors(space, L, rng);
      for (let l = 1; l < L; l++) v[l * K + k] = v[k];
      rows.set(v, p * L * K);
    }
    const codes = checkCodes(rep, await rep.encode(rows, m * L), m * L);
    for (let p = 0; p < m; p++) {
      const local = columnVariances(codes.subarray(p * L * d, (p + 1) * L * d), L, d);
      let best = 0;
      for (let a = 1; a < active.length; a++) {
        if (local[active[a]] / globalVar[active[a]] < local[active[best]] / globalVar[active[best]]) best = a;
      }
      votes[fixed[p]][best]++;
    }
  }
  return votes;
}

/** The FactorVAE score of `rep`. Chance is about 1/K; the ground truth scores 100 %. */
export async function factorVaeScore(space: FactorSpace, rep: Representation, opts: FactorVaeScoreOptions = {}): Promise<FactorVaeScore> {
  const rng = new Random(opts.seed ?? 0);
  const L = opts.batch ?? 64;
  const varianceN = opts.varianceN ?? 10_000;
  const { codes } = await sampleCodes(space, rep, varianceN, rng);
  const globalVar = columnVariances(codes, varianceN, rep.size);
  const threshold = opts.pruneStd ?? 0.05;
  const active = Array.from(globalVar.keys()).filter((j) => Math.sqrt(globalVar[j]) >= threshold);
  if (active.length === 0) return { trainAccuracy: 0, evalAccuracy: 0, activeDims: 0 };
  const perCall = opts.votesPerCall ?? 64;
  const trainVotes = await vote(space, rep, opts.train ?? 10_000, L, active, globalVar, rng, perCall);
  const evalVotes = await vote(space, rep, opts.eval ?? 5_000, L, active, globalVar, rng, perCall);
  const { classifier, accuracy } = majorityVote(trainVotes);
  return { trainAccuracy: accuracy, evalAccuracy: voteAccuracy(evalVotes, classifier), activeDims: active.length };
}
