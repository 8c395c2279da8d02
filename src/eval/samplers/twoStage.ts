/**
 * The `two-stage` sampler (Dai & Wipf 2019, "Diagnosing and enhancing VAE models"): a second, small
 * VAE is trained on the first model's codes z ~ q(z|x) (standardised per latent), so that its own
 * aggregate posterior can match N(0, I); samples are u ~ N(0, I), z ~ N(μ(u), σ²(u)). Unlike Dai &
 * Wipf's one learned variance γ, the decoder has a variance per latent ('gaussian'): the first
 * model's inactive latents (seed 003) are pure N(0, 1) noise in the codes, and a shared γ cannot
 * shrink for the active ones — the second VAE then collapses to its mean (measured: every sample the
 * same code). So samples are drawn ancestrally rather than at the decoder mean. It is built with
 * vaelab's models and objectives and trained with the engine's TrainStep (train/ is a layer above).
 * Stored in the run directory under `samplers/two-stage-<epochs>-<n>-<seed>/` and reused.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { constant, input } from '../../engine/ops.js';
import { adam } from '../../engine/optim.js';
import { Random } from '../../engine/random.js';
import { TrainStep } from '../../engine/trainStep.js';
import { loadCheckpoint, parameterGroup, restoreParameters, saveCheckpoint } from '../../engine/checkpoint.js';
import { createModel } from '../../models/registry.js';
import type { LatentVariableModel } from '../../models/types.js';
import { buildObjective } from '../../objectives/config.js';
import type { Encoded } from '../encode.js';
import { ModelGraph } from '../graphs.js';
import { drawNoise, noiseInputs } from '../../models/noise.js';
import { trainingCodes } from './codes.js';
import type { LatentSampler, SamplerContext, SamplerOptions } from './sampler.js';

/** Options of {@link trainSecondStage}. */
export interface SecondStageOptions {
  /** Passes over the codes (default 30). */
  readonly epochs?: number;
  /** Hidden widths of the second VAE's encoder and decoder (default [128, 128]). */
  readonly hidden?: readonly number[];
  readonly batch?: number;
  readonly lr?: number;
  readonly seed?: number;
  readonly threads?: number;
}

/** A trained second-stage VAE and the standardisation z' = (z − shift) / scale of the codes it was fitted to. */
export interface SecondStage {
  readonly model: LatentVariableModel;
  readonly shift: Float32Array;
  readonly scale: Float32Array;
  /** Mean ELBO of the last epoch, nats per code (of the standardised codes). */
  readonly elbo: number;
}

const secondStageModel = (d: number, hidden: readonly number[], seed: number): LatentVariableModel =>
  createModel({ kind: 'vae', decoder: 'gaussian', latent: d, hidden: [...hidden], activation: 'relu', dataShape: [d] }, { seed });

/** Per-latent mean and standard deviation of z ~ q(z|x) over the codes: E z = E μ, Var z = Var μ + E σ². */
function standardisation(codes: Encoded): { shift: Float32Array; scale: Float32Array } {
  const { n, d } = codes;
  const shift = new Float32Array(d);
  const scale = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    let m2 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = codes.mu[i * d + j];
      m += v;
      m2 += v * v;
      s2 += codes.sigma2[i * d + j];
    }
    m /= n;
    shift[j] = m;
    scale[j] = Math.sqrt(Math.max(m2 / n - m * m + s2 / n, 1e-12));
  }
  return { shift, scale };
}

/** Trains a second VAE on fresh draws z ~ q(z|x) of the encoded examples each epoch (negative ELBO, Adam). */
export async function trainSecondStage(codes: Encoded, opts: SecondStageOptions = {}): Promise<SecondStage> {
  const { n, d } = codes;
  const B = opts.batch ?? 100;
  const model = secondStageModel(d, opts.hidden ?? [128, 128], opts.seed ?? 0);
  const { shift, scale } = standardisation(codes);
  const x = input('x', [B, d]);
  const specs = model.noise(B, 1);
  const noise = noiseInputs(specs);
  const out = buildObjective(model, x, noise, { kind: 'elbo' }, { beta: constant(1, []), capacity: constant(0, []) });
  const step = await TrainStep.create(
    { loss: out.loss, metrics: { elbo: out.elbo }, inputs: [x, ...Object.values(noise)], optimizer: adam() },
    { threads: opts.threads },
  );
  const rng = new Random((opts.seed ?? 0) + 0x2574);
  const batch = new Float32Array(B * d);
  const steps = Math.floor(n / B);
  let elbo = 0;
  for (let e = 0, epochs = opts.epochs ?? 30; e < epochs; e++) {
    const order = rng.permutation(n);
    elbo = 0;
    for (let s = 0; s < steps; s++) {
      for (let b = 0; b < B; b++) {
        const i = order[s * B + b];
        for (let j = 0; j < d; j++) {
          const z = codes.mu[i * d + j] + Math.sqrt(codes.sigma2[i * d + j]) * rng.normal();
          batch[b * d + j] = (z - shift[j]) / scale[j];
        }
      }
      const r = await step.run({ x: batch, ...drawNoise(specs, rng) }, opts.lr ?? 1e-3);
      elbo += r.elbo[0] / steps;
    }
  }
  return { model, shift, scale, elbo };
}

/** n draws u ~ N(0, I), z' ~ N(μ(u), σ²(u)), z = z' · scale + shift, row-major [n, d]. */
export async function sampleSecondStage(stage: SecondStage, n: number, seed: number, threads?: number): Promise<Float32Array> {
  const m = stage.model;
  const specs = m.priorNoise(n);
  const noise = noiseInputs(specs);
  const u = m.samplePrior(noise, n);
  const g = await ModelGraph.compile(Object.values(noise), { mean: m.decodeMean(u), std: m.decodeStd(u)! }, specs, threads);
  const rng = new Random(seed);
  const { mean, std } = await g.run(drawNoise(specs, rng));
  const d = m.dataSize;
  return mean.map((v, i) => (v + std[i] * rng.normal()) * stage.scale[i % d] + stage.shift[i % d]);
}

/** Loads the run's stored second stage with these settings, or trains it on the training codes and stores it. */
async function runSecondStage(ctx: SamplerContext, opts: SamplerOptions): Promise<SecondStage> {
  const epochs = opts.twoStageEpochs ?? 30;
  const seed = opts.fitSeed ?? 0;
  const fitN = Math.min(opts.fitN ?? 10000, ctx.train.n);
  const hidden = [128, 128];
  const dir = ctx.runDir ? join(ctx.runDir, 'samplers', `two-stage-${epochs}-${fitN}-${seed}`) : null;
  if (dir && existsSync(join(dir, 'checkpoint.json'))) {
    const ck = await loadCheckpoint(dir);
    const model = secondStageModel(ctx.model.latentSize, hidden, seed);
    restoreParameters(model.store.all(), ck.groups.model, dir);
    const meta = ck.metadata as { elbo: number };
    return { model, shift: ck.groups.standardisation.shift.data, scale: ck.groups.standardisation.scale.data, elbo: meta.elbo };
  }
  const codes = await trainingCodes(ctx, opts);
  const t0 = performance.now();
  const stage = await trainSecondStage(codes, { epochs, hidden, seed, threads: ctx.threads });
  ctx.log?.(
    `trained the second-stage VAE on ${codes.n} codes (${epochs} epochs) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ELBO ${stage.elbo.toFixed(2)} nats per standardised code`,
  );
  if (dir) {
    const d = ctx.model.latentSize;
    await saveCheckpoint(dir, {
      step: 0,
      groups: {
        model: parameterGroup(stage.model.store.all()),
        standardisation: { shift: { shape: [d], data: stage.shift }, scale: { shape: [d], data: stage.scale } },
      },
      metadata: { elbo: stage.elbo, epochs, fitN, seed, hidden },
    });
  }
  return stage;
}

/** The `two-stage` sampler. */
export function twoStageSampler(ctx: SamplerContext, opts: SamplerOptions): LatentSampler {
  let stage: Promise<SecondStage> | undefined;
  return {
    name: 'two-stage',
    description: 'z from a second VAE trained on the codes (Dai & Wipf 2019): u ~ N(0, I), z ~ N(μ(u), σ²(u))',
    sample: async (n, seed) => sampleSecondStage(await (stage ??= runSecondStage(ctx, opts)), n, seed, ctx.threads),
  };
}
