/**
 * Measurements the experiments share, on a finished run's test examples: the per-latent diagnostics
 * (variance law, aggregate-posterior moments, collapse; seeds 000, 003, 004), the PCA comparison at
 * equal latent size (seed 004) and ELBO surgery over training posteriors (seed 002). Each returns
 * flat numbers for the reproduction's table.
 */
import { Random } from '../engine/random.js';
import { diagnose } from '../eval/diagnostics.js';
import { fixInputs, type FixedInputs } from '../eval/fixedInputs.js';
import { pcaComparison, surgeryOf } from '../eval/fullEvaluation.js';
import { evaluationSeed } from '../train/seeds.js';
import type { RunContext } from './experiment.js';

/** Test examples the measurements use at most. */
const MAX_N = 2000;

/** The run's first min(eval n, 2000) test examples, preprocessed once as its evaluation does. */
export async function testInputs(run: RunContext): Promise<FixedInputs> {
  const { config, data } = await run.load();
  const test = data.test ?? data.train;
  return fixInputs(test, Math.min(config.eval.n ?? MAX_N, MAX_N, test.n), data.preprocess, evaluationSeed(config));
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const maxAbs = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * The top layer's diagnostics as numbers: active units; the variance law Var_x μ_u + E_x σ_u² per
 * latent (seed 000: = 1), its mean over latents and its largest distance from 1 among active latents;
 * the aggregate posterior q(z)'s mean, variance, skewness and excess kurtosis averaged over latents
 * (N(0, 1): 0, 1, 0, 0); inactive latents (seed 003: Var μ ≈ 0, E σ² ≈ 1) and their largest Var μ and
 * mean E σ²; collapsed latents (KL_u < 0.01 on 99% of examples, seed 004).
 */
export async function latentMeasures(run: RunContext): Promise<Record<string, number | null>> {
  const { model, config } = await run.load();
  const fixed = await testInputs(run);
  const d = await diagnose(model, fixed, new Random(config.train.seed + 2), { threads: run.threads });
  const law = d.varianceLaw;
  const active = law.varMu
    .map((v, u) => ({ v, u }))
    .filter(({ v }) => v > 0.01)
    .map(({ u }) => u);
  const inactive = law.inactive.map((b, u) => (b ? u : -1)).filter((u) => u >= 0);
  const m = d.aggregateMoments;
  return {
    activeUnits: d.activeUnits,
    latents: law.varMu.length,
    varianceLawMean: mean(law.totalVariance),
    varianceLawMaxError: active.length ? maxAbs(active.map((u) => law.totalVariance[u] - 1)) : null,
    varianceLawMeanError: mean(law.totalVariance.map((t) => Math.abs(t - 1))),
    aggregateMeanAbs: maxAbs(m.mean),
    aggregateVariance: mean(m.variance),
    aggregateSkewness: mean(m.skewness.map(Math.abs)),
    aggregateKurtosis: mean(m.excessKurtosis),
    inactive: inactive.length,
    inactiveMaxVarMu: inactive.length ? Math.max(...inactive.map((u) => law.varMu[u])) : null,
    inactiveMeanSigma2: inactive.length ? mean(inactive.map((u) => law.meanSigma2[u])) : null,
    collapsed: d.collapse?.collapsed ?? null,
  };
}

/** PCA at the model's latent size beside the model (seed 004): test MSE of each, and pPCA's exact test log-likelihood where the data are continuous. */
export async function pcaMeasures(run: RunContext, fitN: number): Promise<Record<string, number | null>> {
  const { model, data, config } = await run.load();
  const train = fixInputs(data.train, fitN, data.preprocess, config.train.seed + 7919);
  const c = await pcaComparison(model, train, await testInputs(run), run.threads);
  return { pcaMse: c.reconstructionMse, vaeMse: c.vaeReconstructionMse, ppcaLogLikelihood: c.ppcaLogLikelihood };
}

/** ELBO surgery over the first `n` training posteriors (seed 002's table: avg KL = MI + marginal KL, MI ≤ log N). */
export async function surgeryMeasures(run: RunContext, n: number): Promise<Record<string, number | null>> {
  const { model, data, config } = await run.load();
  const train = fixInputs(data.train, n, data.preprocess, config.train.seed + 7919);
  const s = await surgeryOf(model, train, { seed: config.train.seed, threads: run.threads });
  return { trainElbo: s.elbo, avgKl: s.avgKl, mutualInformation: s.mutualInformation, marginalKl: s.marginalKl, logN: s.logN };
}
