/**
 * The β-VAE disentanglement metric (Higgins et al. 2017, "β-VAE: learning basic visual concepts with
 * a constrained variational framework", section 3; seed 002, "Disentangling metric"), with
 * disentanglement_lib's defaults: batch L = 64, 10,000 training and 5,000 evaluation points.
 */
import { Random } from '../../engine/random.js';
import { checkCodes, sampleFactors, type FactorSpace, type Representation } from './factors.js';
import { accuracy, fitLogisticRegression, predictLogistic } from './logistic.js';

/** Options of {@link betaVaeScore}. */
export interface BetaVaeScoreOptions {
  /** Pairs per point, L (default 64). */
  readonly batch?: number;
  /** Training points (default 10,000). */
  readonly train?: number;
  /** Evaluation points (default 5,000). */
  readonly eval?: number;
  readonly seed?: number;
  /** Points encoded per call of the representation (default 32: 32 × 2 × 64 images). */
  readonly pointsPerCall?: number;
}

/** The score: accuracy of the linear classifier on its training points and on fresh points. */
export interface BetaVaeScore {
  readonly trainAccuracy: number;
  readonly evalAccuracy: number;
  /**
   * The evaluation points counted by fixed factor (rows) and predicted factor (columns), K × K: which
   * factors the classifier cannot tell apart (its diagonal sums to evalAccuracy × eval points).
   */
  readonly evalConfusion: number[][];
}

/** Points of the metric: `features` [n, d] row-major and the fixed factor `labels` [n]. */
export interface BetaVaePoints {
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

/**
 * `n` points of the metric. Per point: y ~ U{1..K}; L pairs (v₁, v₂) of factor rows drawn uniformly
 * with [v₁]_y = [v₂]_y; z_diff = (1/L) Σₗ |r(v₁ₗ) − r(v₂ₗ)| (seed 002: z_diff = 1/L Σ |z_li − z_lj|,
 * z = μ(x)); the label is y.
 */
export async function betaVaePoints(
  space: FactorSpace,
  rep: Representation,
  n: number,
  rng: Random,
  opts: { batch?: number; pointsPerCall?: number } = {},
): Promise<BetaVaePoints> {
  const L = opts.batch ?? 64;
  const K = space.sizes.length;
  const d = rep.size;
  const perCall = Math.max(1, opts.pointsPerCall ?? 32);
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let start = 0; start < n; start += perCall) {
    const m = Math.min(perCall, n - start);
    // Rows [p·2L, p·2L + L) are v₁ of point p, the next L rows its v₂.
    const rows = new Int32Array(m * 2 * L * K);
    for (let p = 0; p < m; p++) {
      const y = rng.int(K);
      labels[start + p] = y;
      const v1 = sampleFactors(space, L, rng);
      const v2 = sampleFactors(space, L, rng);
      for (let l = 0; l < L; l++) v2[l * K + y] = v1[l * K + y];
      rows.set(v1, p * 2 * L * K);
      rows.set(v2, (p * 2 + 1) * L * K);
    }
    const codes = checkCodes(rep, await rep.encode(rows, m * 2 * L), m * 2 * L);
    for (let p = 0; p < m; p++) {
      const out = (start + p) * d;
      for (let l = 0; l < L; l++) {
        const a = (p * 2 * L + l) * d;
        const b = ((p * 2 + 1) * L + l) * d;
        for (let j = 0; j < d; j++) features[out + j] += Math.abs(codes[a + j] - codes[b + j]) / L;
      }
    }
  }
  return { features, labels };
}

/**
 * The β-VAE score of `rep`: a linear classifier (multinomial logistic regression, `logistic.ts`)
 * trained on `train` points predicts the fixed factor; its accuracy on those points and on `eval`
 * fresh ones. Chance is 1/K; the ground truth scores 100 %.
 */
export async function betaVaeScore(space: FactorSpace, rep: Representation, opts: BetaVaeScoreOptions = {}): Promise<BetaVaeScore> {
  const rng = new Random(opts.seed ?? 0);
  const nTrain = opts.train ?? 10_000;
  const nEval = opts.eval ?? 5_000;
  const K = space.sizes.length;
  const d = rep.size;
  const train = await betaVaePoints(space, rep, nTrain, rng, opts);
  const test = await betaVaePoints(space, rep, nEval, rng, opts);
  const model = fitLogisticRegression(train.features, train.labels, nTrain, d, K);
  const predicted = predictLogistic(model, test.features, nEval);
  const evalConfusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < nEval; i++) evalConfusion[test.labels[i]][predicted[i]]++;
  return {
    trainAccuracy: accuracy(predictLogistic(model, train.features, nTrain), train.labels, nTrain),
    evalAccuracy: accuracy(predicted, test.labels, nEval),
    evalConfusion,
  };
}

/** Recall per fixed factor from {@link BetaVaeScore.evalConfusion}: the share of each row on its diagonal. */
export function betaVaeRecall(confusion: readonly (readonly number[])[]): number[] {
  const rowTotal = (row: readonly number[]) => row.reduce((a, b) => a + b, 0);
  return confusion.map((row, k) => row[k] / Math.max(1, rowTotal(row)));
}
