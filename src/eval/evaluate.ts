/**
 * Test-set evaluation: the ELBO, the importance-sampled NLL, active units and KL per latent.
 *
 * Fixed-size batches: every batch has `batch` rows; the last partial batch is padded with zeros and
 * masked (only the real rows' outputs are read). Rows never interact in these graphs (no batch
 * statistics), so padding cannot change the real rows' values, and one graph per (batch, K) shape
 * serves the whole set.
 */
import { Random } from '../engine/random.js';
import type { Source } from '../data/dataset.js';
import { batches, type Preprocess } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { ActiveUnits } from './activeUnits.js';
import { termsGraph, type ModelGraph } from './graphs.js';
import { drawNoise } from '../models/noise.js';
import { diagnose, type Diagnostics } from './diagnostics.js';
import { fixInputs } from './fixedInputs.js';
import { LogSumExp } from './logmeanexp.js';
import { meanWithError, type MeanWithError } from './standardError.js';

/** Rows (examples × samples) per NLL graph run of a model that does not set `evaluationRows`. */
const DEFAULT_EVALUATION_ROWS = 5000;

/** Options of {@link Evaluator}. */
export interface EvaluateOptions {
  /** Rows per ELBO batch (default 100). */
  readonly batch?: number;
  /** Importance samples K for the NLL estimate; 0 skips it (default 0). */
  readonly k?: number;
  /** Samples per graph run; K is covered by ⌈K / kChunk⌉ runs (default min(K, rows / nllBatch), rows = the model's `evaluationRows` or 5000). */
  readonly kChunk?: number;
  /** Rows per NLL batch (default 20). */
  readonly nllBatch?: number;
  /** Evaluate only the first n examples (default: all). */
  readonly n?: number;
  /** How examples become inputs: 'dynamic-binarize' draws ONE seeded binarization (default 'grey'). */
  readonly preprocess?: Preprocess;
  /** Seed of the binarization and the noise (default 0): the same seed gives the same numbers. */
  readonly seed?: number;
  readonly threads?: number;
  /** Compute the per-layer diagnostics ({@link Diagnostics}; default true). */
  readonly diagnostics?: boolean;
  /** Monte Carlo draws per example for the IAF and hierarchical posteriors' moments (default 64). */
  readonly samples?: number;
}

/**
 * What {@link Evaluator.evaluate} returns (nats per example; means over the examples, all computed on
 * the same preprocessed inputs). The diagnostics fields are absent when `diagnostics: false`.
 */
export interface EvaluationResult extends Partial<Diagnostics> {
  readonly n: number;
  /** ELBO with one posterior sample, β = 1: E_q[log p(x|z)] − KL (closed form where it exists). */
  readonly elbo: number;
  /** Standard error of the ELBO over the examples (s/√n). */
  readonly elboSe: number;
  readonly reconstruction: number;
  readonly kl: number;
  /** −(1/N) Σ_x log (1/K) Σ_k w_k(x), or null when K = 0. */
  readonly nll: number | null;
  /** Standard error of the NLL over the examples, or null when K = 0. */
  readonly nllSe: number | null;
  readonly nllK: number;
  /** Number of latents with Var_x(E_q[z_i|x]) > 0.01 (over all layers when the diagnostics ran). */
  readonly activeUnits: number;
  /** Var_x(E_q[z_i|x]) per latent of the top layer. */
  readonly activity: number[];
  /** Mean KL per latent (closed form), or null when the model has none. */
  readonly klPerLatent: number[] | null;
  readonly seconds: number;
}

/** Evaluates one model; keeps its compiled graphs so repeated evaluations (validation) are cheap. */
export class Evaluator {
  private readonly graphs = new Map<string, Promise<ModelGraph>>();

  constructor(
    readonly model: LatentVariableModel,
    readonly options: EvaluateOptions = {},
  ) {}

  private graph(batch: number, k: number): Promise<ModelGraph> {
    const key = `${batch}x${k}`;
    let g = this.graphs.get(key);
    if (!g) {
      g = termsGraph(this.model, batch, k, this.options.threads);
      this.graphs.set(key, g);
    }
    return g;
  }

  /**
   * Evaluates on `source` (overrides of the constructor's options may be given). The inputs are
   * preprocessed once ({@link fixInputs}, seed `seed`), and the ELBO, the NLL and the diagnostics all
   * read that one copy; the noise comes from a generator split off the same seed.
   */
  async evaluate(source: Source, overrides: EvaluateOptions = {}): Promise<EvaluationResult> {
    const o = { ...this.options, ...overrides };
    const t0 = performance.now();
    const n = Math.min(source.n, o.n ?? source.n);
    const fixed = fixInputs(source, n, o.preprocess, o.seed ?? 0);
    const noiseRng = new Random(o.seed ?? 0).split();
    const base = await this.terms(fixed.data, o, noiseRng);
    const k = o.k ?? 0;
    let nll: MeanWithError | null = null;
    if (k > 0) {
      const logP = await this.logLikelihoods(fixed.data, { ...o, k }, noiseRng);
      nll = meanWithError(logP.map((v) => -v));
    }
    const diagnostics =
      o.diagnostics === false
        ? null
        : await diagnose(this.model, fixed, noiseRng, { batch: o.batch, threads: o.threads, samples: o.samples });
    return {
      ...base,
      nll: nll?.mean ?? null,
      nllSe: nll?.se ?? null,
      nllK: k,
      ...(diagnostics ?? {}),
      activity: diagnostics?.varianceLaw.varMu ?? base.activity,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  /** ELBO (with its standard error), reconstruction, KL and the terms graph's active units, one sample per example. */
  private async terms(
    inputs: Source,
    o: EvaluateOptions,
    noiseRng: Random,
  ): Promise<Omit<EvaluationResult, 'nll' | 'nllSe' | 'nllK' | 'seconds'>> {
    const n = inputs.n;
    const batch = o.batch ?? 100;
    const d = this.model.latentSize;
    const g1 = await this.graph(batch, 1);
    const au = new ActiveUnits(d);
    const elbo = new Float64Array(n);
    let sumRec = 0;
    let sumKl = 0;
    let klPer: Float64Array | null = null;
    const noise: Record<string, Float32Array> = {};
    let i = 0;
    for (const b of batches(inputs, { batchSize: batch, preprocess: 'raw' })) {
      drawNoise(g1.noise, noiseRng, noise);
      const out = await g1.run({ x: b.x, ...noise });
      au.add(out.mu, b.size);
      for (let r = 0; r < b.size; r++) {
        let kl = 0;
        if (out.klPerLatent) {
          klPer ??= new Float64Array(d);
          for (let u = 0; u < d; u++) {
            const v = out.klPerLatent[r * d + u];
            klPer[u] += v;
            kl += v;
          }
        } else kl = out.logPosterior[r] - out.logPrior[r];
        sumRec += out.logLik[r];
        sumKl += kl;
        elbo[i + r] = out.logLik[r] - kl;
      }
      i += b.size;
    }
    const e = meanWithError(elbo);
    return {
      n,
      elbo: e.mean,
      elboSe: e.se,
      reconstruction: sumRec / n,
      kl: sumKl / n,
      activeUnits: au.count(),
      activity: au.activity(),
      klPerLatent: klPer ? Array.from(klPer, (v) => v / n) : null,
    };
  }

  /**
   * Σ_x log p̂(x) with log p̂(x) = logsumexp_k(log w_k) − log K, the K samples drawn in chunks of
   * `kChunk` (plus one smaller chunk for the remainder) and combined in float64; one value per example.
   */
  private async logLikelihoods(source: Source, o: EvaluateOptions & { k: number }, noiseRng: Random): Promise<number[]> {
    const nb = o.nllBatch ?? 20;
    const chunks = sampleChunks(o.k, o.kChunk ?? Math.floor((this.model.evaluationRows ?? DEFAULT_EVALUATION_ROWS) / nb));
    const noise: Record<string, Float32Array> = {};
    const logP: number[] = [];
    for (const b of batches(source, { batchSize: nb, preprocess: 'raw' })) {
      const acc = new LogSumExp(b.size);
      for (const c of chunks) {
        const g = await this.graph(nb, c);
        drawNoise(g.noise, noiseRng, noise);
        const out = await g.run({ x: b.x, ...noise }, ['logW']);
        acc.add(out.logW, c, nb);
      }
      logP.push(...acc.logMeanExp());
    }
    return logP;
  }
}

/** K samples as graph runs of `kChunk` samples each (at least 1), plus one smaller run for the remainder. */
export function sampleChunks(k: number, kChunk: number): number[] {
  const kc = Math.max(1, Math.min(k, kChunk));
  const chunks = new Array<number>(Math.floor(k / kc)).fill(kc);
  if (k % kc) chunks.push(k % kc);
  return chunks;
}

/** Evaluates `model` on `source` once (see {@link Evaluator}). */
export function evaluate(model: LatentVariableModel, source: Source, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  return new Evaluator(model, options).evaluate(source);
}
