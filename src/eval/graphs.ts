/**
 * Forward-only graphs for evaluation, encoding and sampling, compiled once per shape (onnxruntime
 * shapes are static) and fed the model's current parameter values at each run.
 */
import { input } from '../engine/ops.js';
import { GraphFunction } from '../engine/function.js';
import type { Feed } from '../engine/runtime.js';
import type { Tensor } from '../engine/tensor.js';
import { priorSampleGraph } from '../models/generate.js';
import type { LatentVariableModel, NoiseSpec } from '../models/types.js';
import { noiseInputs } from '../models/noise.js';
import { logWeights } from '../objectives/iwae.js';

/** A compiled forward graph of a model, with the noise inputs it reads. */
export class ModelGraph {
  private constructor(
    private readonly fn: GraphFunction,
    /** The noise the graph reads. */
    readonly noise: readonly NoiseSpec[],
  ) {}

  /** Compiles `outputs` built from the inputs `inputs`; parameters are fed at each run. */
  static async compile(
    inputs: readonly Tensor<'input'>[],
    outputs: Record<string, Tensor>,
    noise: readonly NoiseSpec[],
    threads?: number,
  ): Promise<ModelGraph> {
    return new ModelGraph(await GraphFunction.create({ inputs, outputs, name: 'eval' }, { threads }), noise);
  }

  /** Runs with the given data/noise feeds and the model's current parameter values. */
  run(feeds: Record<string, Feed>, outputNames?: readonly string[]): Promise<Record<string, Float32Array>> {
    return this.fn.run(feeds, outputNames) as Promise<Record<string, Float32Array>>;
  }
}

/**
 * The per-example terms of a batch x [B, D] with K posterior samples: `logW` [K, B] = log p(x|z_k)
 * + log p(z_k) − log q(z_k|x) (the IWAE log weights, seed 002), `logLik` [K, B], `logPrior` [K, B],
 * `logPosterior` [K, B], `mu` and `logVar` [B, d], and `klPerLatent` [B, d] where a closed form exists.
 */
export function termsGraph(model: LatentVariableModel, batch: number, k: number, threads?: number): Promise<ModelGraph> {
  const x = input('x', [batch, model.dataSize]);
  const specs = model.noise(batch, k);
  const noise = noiseInputs(specs);
  const t = model.terms(x, noise, k);
  const outputs: Record<string, Tensor> = {
    logW: logWeights(t),
    logLik: t.logLikelihood,
    logPrior: t.logPrior,
    logPosterior: t.logPosterior,
    mu: t.posteriorMean,
    logVar: t.posteriorLogVar,
  };
  if (t.klPerLatent) outputs.klPerLatent = t.klPerLatent;
  return ModelGraph.compile([x, ...Object.values(noise)], outputs, specs, threads);
}

/**
 * Prior samples z ~ p(z) for N draws, the decoder's mean (and σ_x where it has one) and, where the model
 * builds it, the ancestral draw `sample` through every layer (models/generate.ts).
 */
export function sampleGraph(model: LatentVariableModel, n: number, threads?: number): Promise<ModelGraph> {
  const g = priorSampleGraph(model, n);
  const outputs: Record<string, Tensor> = { z: g.z, mean: g.mean };
  if (g.std) outputs.std = g.std;
  if (g.sample) outputs.sample = g.sample;
  return ModelGraph.compile(g.inputs, outputs, g.noise, threads);
}
