/**
 * Objective settings (zod) and {@link buildObjective}, which picks the objective from a table keyed
 * by kind. Per-step scalars (β during warm-up, capacity C) come from {@link objectiveInputsAt}.
 */
import { z } from 'zod';
import type { Tensor } from '../engine/tensor.js';
import { ConfigError, formatIssues } from '../models/config.js';
import type { LatentVariableModel, ModelTerms, ObjectiveInputs, StepOutput } from '../models/types.js';
import { betaObjective } from './beta.js';
import { capacityObjective } from './capacity.js';
import { elboObjective } from './elbo.js';
import { freeBitsObjective } from './freeBits.js';
import { iwaeObjective } from './iwae.js';
import { capacityAt, warmup } from './schedule.js';

export const OBJECTIVE_KINDS = ['elbo', 'beta', 'capacity', 'warmup', 'free-bits', 'iwae'] as const;

export const objectiveConfigSchema = z.object({
  /** Which objective: see the functions of this folder. */
  kind: z.enum(OBJECTIVE_KINDS).default('elbo'),
  /** β of the β-VAE; for 'warmup', the value β ramps up to. */
  beta: z.number().nonnegative().default(1),
  /** Controlled capacity: weight γ, final C (nats) and the steps over which C ramps from 0. */
  capacity: z
    .object({
      gamma: z.number().nonnegative().default(1000),
      max: z.number().nonnegative().default(25),
      steps: z.number().int().nonnegative().default(100_000),
    })
    .prefault({}),
  /** Steps of KL annealing (β from 0 to `beta`). */
  warmupSteps: z.number().int().nonnegative().default(10_000),
  /** Free bits: λ nats per group, and the number of latent groups G (must divide d). */
  freeBits: z
    .object({
      lambda: z.number().nonnegative().default(0.5),
      groups: z.number().int().positive().default(1),
    })
    .prefault({}),
  /** M2's weight α of the classification term (Kingma et al. 2014, eq. 9); default 0.1 · N training examples. */
  alpha: z.number().nonnegative().optional(),
  /** Importance samples per example (L_K for 'iwae'; the ELBO averages over them otherwise). */
  k: z.number().int().positive().default(1),
});

export type ObjectiveConfigInput = z.input<typeof objectiveConfigSchema>;
export type ObjectiveConfig = z.output<typeof objectiveConfigSchema>;

/** Validates and fills defaults; throws a ConfigError naming each bad field. */
export function parseObjectiveConfig(input: unknown): ObjectiveConfig {
  const r = objectiveConfigSchema.safeParse(input);
  if (!r.success) throw new ConfigError(`invalid objective config: ${formatIssues(r.error.issues)}`);
  return r.data;
}

type Build = (terms: ModelTerms, config: ObjectiveConfig, inputs: ObjectiveInputs) => StepOutput;

const OBJECTIVES: Record<ObjectiveConfig['kind'], Build> = {
  elbo: (t) => elboObjective(t),
  beta: (t, _c, i) => betaObjective(t, i.beta),
  warmup: (t, _c, i) => betaObjective(t, i.beta),
  capacity: (t, c, i) => capacityObjective(t, c.capacity.gamma, i.capacity),
  'free-bits': (t, c) => freeBitsObjective(t, c.freeBits.lambda, c.freeBits.groups),
  iwae: (t) => iwaeObjective(t),
};

/**
 * The step graph of `model` on data x [B, D] under the objective `config` names: model.terms with
 * config.k samples, then the objective. `noise` maps each of model.noise(B, k)'s names to its input.
 */
export function buildObjective(
  model: LatentVariableModel,
  x: Tensor,
  noise: Record<string, Tensor>,
  config: ObjectiveConfigInput | ObjectiveConfig,
  inputs: ObjectiveInputs,
): StepOutput {
  const c = parseObjectiveConfig(config);
  return OBJECTIVES[c.kind](model.terms(x, noise, c.k), c, inputs);
}

/**
 * The values to feed ObjectiveInputs at training step `step`: β (constant `beta`, or warmup(step)·beta
 * for 'warmup', 1 otherwise) and capacity C(step).
 */
export function objectiveInputsAt(config: ObjectiveConfig, step: number): { beta: number; capacity: number } {
  const beta = config.kind === 'warmup' ? warmup(step, config.warmupSteps) * config.beta : config.kind === 'beta' ? config.beta : 1;
  return { beta, capacity: capacityAt(step, config.capacity.max, config.capacity.steps) };
}
