/**
 * Test-set evaluation: the ELBO, the importance-sampled NLL, active units and KL per latent.
 *
 * Fixed-size batches: every batch has `batch` rows; the last partial batch is padded with zeros and
 * masked (only the real rows' outputs are read). Rows never interact in these graphs (no batch
 * statistics), so padding cannot change the real rows' values, and one graph per (batch, K) shape
 * serves the whole set.
 */
import { Random } from '../engine/random.js';
import { range, subset, type Source } from '../data/dataset.js';
import { batches, type Preprocess } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { ActiveUnits } from './activeUnits.js';
import { drawNoise, termsGraph, type ModelGraph } from './graphs.js';
import { LogSumExp } from './logmeanexp.js';

/** Options of {@link Evaluator}. */
export interface EvaluateOptions {
  /** Rows per ELBO batch (default 100). */
  readonly batch?: number;
  /** Importance samples K for the NLL estimate; 0 skips it (default 0). */
  readonly k?: number;
  /** Samples per graph run; K is covered by ⌈K / kChunk⌉ runs (default min(K, 5000 / nllBatch)). */
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
}

/** What {@link Evaluator.evaluate} returns (nats per example; means over the examples). */
export interface EvaluationResult {
  readonly n: number;
  /** ELBO with one posterior sample, β = 1: E_q[log p(x|z)] − KL (closed form where it exists). */
  readonly elbo: number;
  readonly reconstruction: number;
  readonly kl: number;
  /** −(1/N) Σ_x log (1/K) Σ_k w_k(x), or null when K = 0. */
  readonly nll: number | null;
  readonly nllK: number;
  /** Number of latents with Var_x(μ_i(x)) > 0.01. */
  readonly activeUnits: number;
  /** Var_x(μ_i(x)) per latent. */
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

  /** Evaluates on `source` (overrides of the constructor's options may be given). */
  async evaluate(source: Source, overrides: EvaluateOptions = {}): Promise<EvaluationResult> {
    const o = { ...this.options, ...overrides };
    const t0 = performance.now();
    const batch = o.batch ?? 100;
    const k = o.k ?? 0;
    const n = Math.min(source.n, o.n ?? source.n);
    const view = n < source.n ? subset(source, range(0, n), `${source.name}[:${n}]`) : source;
    const d = this.model.latentSize;
    const dataRng = new Random(o.seed ?? 0);
    const noiseRng = dataRng.split();

    // ELBO, active units, KL per latent: one sample per example.
    const g1 = await this.graph(batch, 1);
    const au = new ActiveUnits(d);
    let sumRec = 0;
    let sumKl = 0;
    let klPer: Float64Array | null = null;
    const noise: Record<string, Float32Array> = {};
    for (const b of batches(view, { batchSize: batch, preprocess: o.preprocess, rng: dataRng })) {
      drawNoise(g1.noise, noiseRng, noise);
      const out = await g1.run({ x: b.x, ...noise });
      au.add(out.mu, b.size);
      for (let r = 0; r < b.size; r++) {
        sumRec += out.logLik[r];
        if (out.klPerLatent) {
          klPer ??= new Float64Array(d);
          let s = 0;
          for (let i = 0; i < d; i++) {
            const v = out.klPerLatent[r * d + i];
            klPer[i] += v;
            s += v;
          }
          sumKl += s;
        } else {
          sumKl += out.logPosterior[r] - out.logPrior[r];
        }
      }
    }

    let nll: number | null = null;
    if (k > 0) nll = -(await this.logLikelihood(view, { ...o, k }, new Random((o.seed ?? 0) + 1))) / n;

    return {
      n,
      elbo: (sumRec - sumKl) / n,
      reconstruction: sumRec / n,
      kl: sumKl / n,
      nll,
      nllK: k,
      activeUnits: au.count(),
      activity: au.activity(),
      klPerLatent: klPer ? Array.from(klPer, (v) => v / n) : null,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  /**
   * Σ_x log p̂(x) with log p̂(x) = logsumexp_k(log w_k) − log K, the K samples drawn in chunks of
   * `kChunk` (plus one smaller chunk for the remainder) and combined in float64.
   */
  private async logLikelihood(source: Source, o: EvaluateOptions & { k: number }, rng: Random): Promise<number> {
    const nb = o.nllBatch ?? 20;
    const kc = Math.max(1, Math.min(o.k, o.kChunk ?? Math.floor(5000 / nb)));
    const chunks: number[] = new Array<number>(Math.floor(o.k / kc)).fill(kc);
    if (o.k % kc) chunks.push(o.k % kc);
    const dataRng = rng;
    const noiseRng = rng.split();
    const noise: Record<string, Float32Array> = {};
    let total = 0;
    for (const b of batches(source, { batchSize: nb, preprocess: o.preprocess, rng: dataRng })) {
      const acc = new LogSumExp(b.size);
      for (const c of chunks) {
        const g = await this.graph(nb, c);
        drawNoise(g.noise, noiseRng, noise);
        const out = await g.run({ x: b.x, ...noise }, ['logW']);
        acc.add(out.logW, c, nb);
      }
      for (const v of acc.logMeanExp()) total += v;
    }
    return total;
  }
}

/** Evaluates `model` on `source` once (see {@link Evaluator}). */
export function evaluate(model: LatentVariableModel, source: Source, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  return new Evaluator(model, options).evaluate(source);
}
