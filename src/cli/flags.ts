/**
 * Flag value parsers for commander: each names the flag and what it expected when it fails, and
 * the map from config fields back to flags used to word validation errors.
 */
import { InvalidArgumentError } from 'commander';

const describe = (v: string): string => JSON.stringify(v);

/** A positive integer (or ≥ `min`, and ≤ `max` when given). */
export const int =
  (min = 1, max = Infinity) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got ${describe(v)}`);
    if (n > max) throw new InvalidArgumentError(`expected at most ${max}, got ${describe(v)}`);
    return n;
  };

/** A finite number, strictly positive unless `allowZero`. */
export const num =
  (allowZero = false) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(`expected a ${allowZero ? 'non-negative' : 'positive'} number, got ${describe(v)}`);
    }
    return n;
  };

/** Any finite number, negative ones included (e.g. a log-variance). */
export const finite = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a finite number, got ${describe(v)}`);
  return n;
};

/** A comma-separated list of positive integers, e.g. `200,200`. */
export const intList = (v: string): number[] => {
  const parts = v.split(',').map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`expected comma-separated positive integers such as 200,200, got ${describe(v)}`);
  }
  return out;
};

/** Config field paths and the flag that sets each, for error messages. */
export const FLAG_OF: Record<string, string> = {
  'train.dataset': '--dataset',
  'model.kind': '--model',
  'model.decoder': '--decoder',
  'model.prior': '--prior',
  'model.components': '--components',
  'model.latent': '--latent',
  'model.hidden': '--hidden',
  'model.activation': '--activation',
  'model.architecture': '--architecture',
  'train.batch': '--batch',
  'train.epochs': '--epochs',
  'train.maxSteps': '--max-steps',
  'train.lr': '--lr',
  'model.k': '--k',
  'objective.k': '--k',
  'objective.beta': '--beta',
  'objective.capacity.max': '--capacity',
  'objective.capacity.steps': '--capacity-steps',
  'objective.capacity.gamma': '--capacity-gamma',
  'objective.freeBits.lambda': '--free-bits',
  'train.warmupEpochs': '--warmup',
  'train.seed': '--seed',
  'train.threads': '--threads',
  'eval.k': '--eval-k',
  'eval.n': '--eval-n',
  'train.binarize': '--binarize',
  'train.validation': '--validation',
  'train.test': '--test',
  'train.patience': '--patience',
  'train.checkpointEvery': '--checkpoint-every',
  'train.clipNorm': '--clip-norm',
  'train.trainN': '--train-n',
  'train.stepsPerRun': '--steps-per-run',
  'objective.kind': '--objective',
  'train.lrSchedule': '--lr-schedule',
  'model.latent1': '--latent1',
  'model.hidden2': '--hidden2',
  'model.sigma': '--sigma',
  'model.flowSteps': '--flow-steps',
  'model.flowHidden': '--flow-hidden',
  'model.flowContext': '--flow-context',
  'objective.freeBits.groups': '--free-bits-groups',
  'model.mixtureWeights': '--mixture-weights',
  'model.decoderMinLogVar': '--min-log-var',
  'model.pixelLayers': '--pixel-layers',
  'model.pixelKernel': '--pixel-kernel',
  'model.pixelChannels': '--pixel-channels',
};

/**
 * Rewrites the fields of a config error (`invalid model config: latent: ...; hidden: ...`) as
 * `--flag (model.latent): ...` wherever a flag sets the field.
 */
export function withFlagNames(message: string): string {
  const m = /^invalid (model|objective|train|eval|run) config: (.*)$/s.exec(message);
  if (!m) return message;
  const parts = m[2].split('; ').map((part) => {
    const i = part.indexOf(': ');
    if (i < 0) return part;
    const field = part.slice(0, i);
    const path = /^(model|objective|train|eval)\./.test(field) ? field : `${m[1]}.${field}`;
    const flag = FLAG_OF[path];
    return `${flag ? `${flag} (${path})` : path}: ${part.slice(i + 2)}`;
  });
  return `invalid ${m[1] === 'run' ? '' : m[1] + ' '}configuration: ${parts.join('; ')}`;
}
