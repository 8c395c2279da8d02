/**
 * Upper limits on the sizes a configuration asks for, checked before anything is allocated or
 * written, so that `--latent 1e9` is a message naming the limit and not a RangeError from deep inside
 * (or a machine swapping). The limits are far above the seeds' models (latent ≤ 200, widths ≤ 1000,
 * K ≤ 5000 for evaluation, 500 pseudo-inputs) and below what a 32-bit array index or RAM allows.
 */
import { ConfigError } from '../models/config.js';
import type { ModelConfig } from '../models/config.js';
import type { ObjectiveConfig } from '../objectives/config.js';
import type { EvalConfig, TrainConfig } from './config.js';

/** The largest value each size may take. */
export const LIMITS = {
  latent: 4096,
  width: 16384,
  k: 10000,
  components: 10000,
  stepsPerRun: 1000,
  batch: 100000,
  /** Float32 values of the model's parameters (with Adam's two moments, 3× this in memory): 1 GiB. */
  parameters: 2 ** 28,
  /** Float32 values of one step's widest activation (batch × K × widest layer): 1 GiB. */
  activations: 2 ** 28,
} as const;

/** Float32 parameter count of the MLP encoder and decoder a config describes (the part that grows with the sizes). */
export function estimateParameters(m: ModelConfig): number {
  const d = m.dataShape.reduce((a, b) => a * b, 1);
  const layers = (widths: number[]): number => widths.slice(1).reduce((s, w, i) => s + (widths[i] + 1) * w, 0);
  const enc = layers([d, ...m.hidden, 2 * m.latent]);
  const dec = layers([m.latent, ...[...m.hidden].reverse(), 2 * d]);
  const pseudo = m.prior === 'vampprior' ? m.components * d : m.prior === 'mog' ? m.components * 2 * m.latent : 0;
  return enc + dec + pseudo;
}

/**
 * Throws a {@link ConfigError} (`invalid run config: model.latent: at most 4096, got 1000000000; ...`)
 * listing each size above its limit, and the parameter and activation totals when they exceed theirs.
 */
export function checkLimits(c: { model: ModelConfig; objective: ObjectiveConfig; train: TrainConfig; eval: EvalConfig }): void {
  const bad: string[] = [];
  const over = (path: string, value: number, limit: number): void => {
    if (value > limit) bad.push(`${path}: at most ${limit}, got ${value}`);
  };
  over('model.latent', c.model.latent, LIMITS.latent);
  over('model.latent1', c.model.latent1, LIMITS.latent);
  for (const w of c.model.hidden) over('model.hidden', w, LIMITS.width);
  for (const w of c.model.hidden2) over('model.hidden2', w, LIMITS.width);
  over('objective.k', c.objective.k, LIMITS.k);
  over('model.components', c.model.components, LIMITS.components);
  over('train.stepsPerRun', c.train.stepsPerRun, LIMITS.stepsPerRun);
  over('train.batch', c.train.batch, LIMITS.batch);
  over('eval.batch', c.eval.batch, LIMITS.batch);
  over('eval.nllBatch', c.eval.nllBatch, LIMITS.batch);
  if (bad.length === 0) {
    const params = estimateParameters(c.model);
    if (params > LIMITS.parameters)
      bad.push(
        `model.hidden: the encoder and decoder would hold ${params.toExponential(2)} parameters, at most ${LIMITS.parameters.toExponential(2)} (lower --hidden or --latent)`,
      );
    const widest = Math.max(
      ...c.model.hidden,
      2 * c.model.latent,
      c.model.dataShape.reduce((a, b) => a * b, 1),
    );
    const acts = c.train.batch * c.objective.k * widest;
    if (acts > LIMITS.activations)
      bad.push(
        `train.batch: batch × k × widest layer is ${acts.toExponential(2)} values per step, at most ${LIMITS.activations.toExponential(2)} (lower --batch or --k)`,
      );
  }
  if (bad.length > 0) throw new ConfigError(`invalid run config: ${bad.join('; ')}`);
}
