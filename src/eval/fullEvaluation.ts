/**
 * The whole evaluation record of the seeds: the test-set {@link EvaluationResult} (ELBO and NLL with
 * standard errors, per-layer diagnostics) plus the measurements that read the training set: ELBO
 * surgery over the N training posteriors (seed 002) and the PCA / pPCA baselines (seed 004).
 */
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { GraphFunction } from '../engine/function.js';
import { HierarchicalVAE } from '../models/hvae.js';
import { flowPosteriors, flowSurgery } from './flowSurgery.js';
import { ModelGraph } from './graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';
import { topLayerPosteriors } from './hierarchicalSurgery.js';
import type { Source } from '../data/dataset.js';
import { reconstruct } from '../models/generate.js';
import type { LatentVariableModel } from '../models/types.js';
import { PixelVAE } from '../models/pixelvae.js';
import { VAE } from '../models/vae.js';
import { Evaluator, type EvaluateOptions, type EvaluationResult } from './evaluate.js';
import { fixInputs, type FixedInputs } from './fixedInputs.js';
import { fitPca, pcaReconstructionMse, ppcaLogLikelihood } from './pca.js';
import { posteriorLayers } from './posteriorLayers.js';
import { elboSurgery, mixtureSurgery, standardNormalLogPrior, type Surgery } from './surgery.js';

/** The largest data size D whose D × D covariance is eigen-decomposed for the PCA baselines (~10 s at 784). */
export const MAX_PCA_SIZE = 1024;

/** The first m of fixed inputs (their `continuous` flag kept). */
const firstRows = (f: FixedInputs, m: number): FixedInputs =>
  m < f.data.n ? { data: fixInputs(f.data, m, 'raw', 0).data, continuous: f.continuous } : f;

/** Seed 002's table row: the training-set ELBO beside the surgery terms. */
export interface SurgeryRow extends Surgery {
  /** The ELBO on the same N training inputs (one sample per example). */
  readonly elbo: number;
  readonly elboSe: number;
}

/** PCA / pPCA at the VAE's latent size, on the test inputs, beside the VAE (seed 004). */
export interface PcaComparison {
  readonly latent: number;
  /** Training examples the PCA was fitted to. */
  readonly fitN: number;
  /** PCA: mean over test examples of ‖x − x̂‖² (sum over pixels). */
  readonly reconstructionMse: number;
  /** The VAE's ‖x − μ_x(μ_z(x))‖², same examples and units. */
  readonly vaeReconstructionMse: number;
  /** The exact pPCA test log-likelihood per example (nats), or null for binarized data. */
  readonly ppcaLogLikelihood: number | null;
  readonly seconds: number;
}

/** {@link EvaluationResult} with the training-set measurements (null when skipped or not defined). */
export interface FullEvaluation extends EvaluationResult {
  readonly surgery: SurgeryRow | null;
  readonly pca: PcaComparison | null;
  /** Why a measurement was skipped, one line each. */
  readonly notes: string[];
}

/** Options of {@link evaluateFull}. */
export interface FullEvaluationOptions extends EvaluateOptions {
  /** Called on the test evaluation before the costlier measurements; throw to stop (e.g. on a NaN). */
  readonly check?: (base: EvaluationResult) => void;
  /** Run ELBO surgery (default true). */
  readonly surgery?: boolean;
  /** Training posteriors in the aggregate q(z) (default all). */
  readonly surgeryN?: number;
  /** Fit the PCA / pPCA baselines (default true). */
  readonly pca?: boolean;
  /** Training examples for the PCA fit (default all). */
  readonly pcaN?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/**
 * log p(z) of rows z [rows, d] under the model's prior, by a graph compiled for the first call's row count
 * (with fresh draws of the noise the prior's density reads, e.g. the HVAE VampPrior's z1 ~ q(z1|u_k)).
 */
function priorLogDensity(
  model: VAE | HierarchicalVAE,
  rng: Random,
  threads?: number,
): (z: Float32Array, rows: number) => Promise<Float64Array> {
  let g: Promise<ModelGraph> | null = null;
  const specs = model.prior.componentNoise;
  return async (zs, rows) => {
    if (!g) {
      const z = input('z', [rows, model.latentSize]);
      const noise = noiseInputs(specs);
      g = ModelGraph.compile([z, ...Object.values(noise)], { lp: model.prior.logProb(z, noise) }, specs, threads);
    }
    return Float64Array.from((await (await g).run({ z: zs, ...drawNoise(specs, rng) })).lp);
  };
}

/** Training posteriors of the aggregate for a flow by default: its N² inversions limit N (see flowSurgery.ts; 5,000: ~85 s at 1 thread, d = 16, 2 steps). */
export const FLOW_SURGERY_N = 5000;

/**
 * ELBO surgery of `model` on the training inputs `train` (all of them: the caller picks N): a single Gaussian
 * layer exactly (`elboSurgery`), an IAF posterior through its inverse (`flowSurgery`), the hierarchical VAE
 * on its top layer with q(z2|x) = E_{q(z1|x)} q(z2|z1) (`topLayerPosteriors`); what was used is in `posterior`.
 */
export async function surgeryOf(model: LatentVariableModel, train: FixedInputs, opts: FullEvaluationOptions): Promise<SurgeryRow> {
  const seed = opts.seed ?? 0;
  const rng = new Random(seed).split();
  const opt = { batch: opts.batch, threads: opts.threads };
  const standard = model instanceof VAE || model instanceof HierarchicalVAE ? model.config.prior === 'standard' : true;
  const logPrior = (m: VAE | HierarchicalVAE) =>
    standard ? standardNormalLogPrior(model.latentSize) : priorLogDensity(m, new Random(seed + 1), opts.threads);
  let s: Surgery;
  if (model instanceof VAE && model.flow) {
    s = await flowSurgery(model, await flowPosteriors(model, train.data, rng, opt), logPrior(model), { threads: opts.threads });
  } else if (model instanceof HierarchicalVAE) {
    s = await mixtureSurgery(await topLayerPosteriors(model, train.data, rng, opt), { threads: opts.threads, logPrior: logPrior(model) });
  } else {
    const post = await posteriorLayers(model, train.data, rng, opt);
    if (post.length !== 1 || !post[0].gaussian)
      throw new Error('surgeryOf: needs one Gaussian stochastic layer, an IAF or the hierarchical VAE');
    s = await elboSurgery(post[0], { chunk: 256, threads: opts.threads, logPrior: model instanceof VAE ? logPrior(model) : undefined });
  }
  const e = await new Evaluator(model, { ...opts, k: 0, diagnostics: false, preprocess: 'raw' }).evaluate(train.data);
  return { ...s, elbo: e.elbo, elboSe: e.elboSe };
}

/** PCA / pPCA fitted on the training inputs, measured on the test inputs beside the VAE's reconstructions. */
export async function pcaComparison(
  model: LatentVariableModel,
  train: FixedInputs,
  test: FixedInputs,
  threads?: number,
): Promise<PcaComparison> {
  const t0 = performance.now();
  const D = model.dataSize;
  const q = model.latentSize;
  const fit = await fitPca(train.data.data as Float32Array, train.data.n, D, q, { threads });
  const testData = test.data.data as Float32Array;
  const B = 100;
  const x = input('x', [B, D]);
  const g = await GraphFunction.create({ inputs: [x], outputs: { rec: reconstruct(model, x) }, name: 'vae-reconstruct' }, { threads });
  const buf = new Float32Array(B * D);
  let vae = 0;
  for (let s = 0; s < test.data.n; s += B) {
    const rows = Math.min(B, test.data.n - s);
    buf.fill(0);
    buf.set(testData.subarray(s * D, (s + rows) * D));
    const rec = (await g.run({ x: buf })).rec as Float32Array;
    for (let i = 0; i < rows * D; i++) vae += (buf[i] - rec[i]) ** 2;
  }
  return {
    latent: q,
    fitN: train.data.n,
    reconstructionMse: pcaReconstructionMse(fit, testData, test.data.n),
    vaeReconstructionMse: vae / test.data.n,
    ppcaLogLikelihood: test.continuous ? ppcaLogLikelihood(fit, testData, test.data.n) : null,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Evaluates `model` on `test` (see {@link Evaluator}) and, from `train`, runs ELBO surgery and the
 * PCA / pPCA baselines. The training inputs are preprocessed once with the same seed rule.
 */
export async function evaluateFull(
  model: LatentVariableModel,
  train: Source | null,
  test: Source,
  opts: FullEvaluationOptions = {},
): Promise<FullEvaluation> {
  const base = await new Evaluator(model, opts).evaluate(test);
  opts.check?.(base);
  opts.log?.(`test ELBO, NLL (K = ${base.nllK}) and diagnostics on ${base.n} examples in ${base.seconds.toFixed(1)} s`);
  const notes: string[] = [];
  let surgery: SurgeryRow | null = null;
  let pca: PcaComparison | null = null;
  const wantSurgery = opts.surgery ?? true;
  const wantPca = opts.pca ?? true;
  if (train && (wantSurgery || wantPca)) {
    const seed = (opts.seed ?? 0) + 7919; // a binarization of the training set distinct from the test set's
    // The training inputs are held in memory once (float32): at most 2^28 values (1 GiB) by default.
    const cap = Math.min(train.n, Math.floor(2 ** 28 / model.dataSize));
    if (cap < train.n && opts.surgeryN === undefined)
      notes.push(`ELBO surgery and PCA use the first ${cap} of ${train.n} training examples (memory cap; --surgery-n to change).`);
    const n = Math.min(train.n, Math.max(opts.surgeryN ?? cap, opts.pcaN ?? 0));
    const fixedTrain = fixInputs(train, n, opts.preprocess, seed);
    const supported = model instanceof VAE || model instanceof HierarchicalVAE;
    const flow = model instanceof VAE && model.flow !== null;
    if (wantSurgery && supported) {
      const m = Math.min(fixedTrain.data.n, opts.surgeryN ?? (flow ? FLOW_SURGERY_N : cap));
      if (flow && opts.surgeryN === undefined && m < train.n)
        notes.push(`ELBO surgery of the IAF posterior over the first ${m} training examples (N² flow inversions; --surgery-n to change).`);
      const view = firstRows(fixedTrain, m);
      surgery = await surgeryOf(model, view, opts);
      if (surgery.posterior) notes.push(`ELBO surgery: ${surgery.posterior}.`);
      opts.log?.(`ELBO surgery over N = ${m} posteriors in ${surgery.seconds.toFixed(1)} s`);
    } else if (wantSurgery)
      notes.push(
        'ELBO surgery is defined here for the VAE (with or without an IAF) and the hierarchical VAE: not computed for this model.',
      );
    if (wantPca && model.dataSize > MAX_PCA_SIZE)
      notes.push(`PCA / pPCA skipped: data size ${model.dataSize} > ${MAX_PCA_SIZE} (the full eigen-decomposition takes O(D³)).`);
    else if (wantPca && model instanceof PixelVAE)
      notes.push('PCA / pPCA skipped: an autoregressive decoder has no one-pass reconstruction μ_x(μ_z(x)) to set beside PCA’s.');
    else if (wantPca && model.latentSize < model.dataSize) {
      const m = Math.min(fixedTrain.data.n, opts.pcaN ?? cap);
      const view = firstRows(fixedTrain, m);
      const testFixed = fixInputs(test, base.n, opts.preprocess, opts.seed ?? 0);
      pca = await pcaComparison(model, view, testFixed, opts.threads);
      opts.log?.(`PCA / pPCA fitted on ${m} training examples in ${pca.seconds.toFixed(1)} s`);
    }
  } else if (!train) notes.push('no training set: ELBO surgery and PCA skipped.');
  return { ...base, surgery, pca, notes };
}
