/**
 * The pixel-support problem (seed 004, §5.3): a continuous density fit to pixels of exactly 0 or 1 is
 * unbounded there (its "ELBO" measures how far the decoder has pushed σ_x → 0 or |ℓ| → ∞), and a
 * Bernoulli likelihood is no likelihood of grey levels. This file chooses the default (dequantize
 * continuous decoders on 8-bit data), words the warnings, and converts a run's NLL to bits per dimension.
 */
import { toBatch, type Preprocess } from '../data/batches.js';
import { exampleSize, range, type Source } from '../data/dataset.js';
import { bitsPerDim } from '../data/dequantize.js';
import { ConfigError, type ModelConfig } from '../models/config.js';
import type { TrainConfig } from './config.js';

/** Decoders whose p(x|z) is a density on [0, 1] or ℝ (not a probability of discrete values). */
export const CONTINUOUS_DECODERS: readonly ModelConfig['decoder'][] = [
  'gaussian',
  'gaussian-fixed',
  'gaussian-scalar',
  'continuous-bernoulli',
];

const isContinuous = (decoder: string): boolean => (CONTINUOUS_DECODERS as readonly string[]).includes(decoder);

/**
 * Whether a run dequantizes: the config's `dequantize` when given, else on for a continuous decoder with
 * `binarize` 'none' (it applies to 8-bit data only). Dequantizing binarized data is a user error.
 */
export function wantsDequantize(train: TrainConfig, decoder: string): boolean {
  if (train.dequantize && train.binarize !== 'none') {
    throw new ConfigError(
      `invalid train config: dequantize: needs binarize 'none' (dequantization applies to 8-bit grey levels), got binarize '${train.binarize}'`,
    );
  }
  return train.dequantize ?? (isContinuous(decoder) && train.binarize === 'none');
}

/** Scans up to `limit` examples of `source` as `preprocess` gives them: any value exactly 0 or 1, any strictly between. */
function valueKinds(source: Source, preprocess: Preprocess, limit = 1000): { atoms: boolean; grey: boolean } {
  const n = Math.min(limit, source.n);
  const x = toBatch(source, range(0, n), { preprocess });
  let atoms = false;
  let grey = false;
  for (let i = 0; i < n * exampleSize(source) && !(atoms && grey); i++) {
    if (x[i] === 0 || x[i] === 1) atoms = true;
    else if (x[i] > 0 && x[i] < 1) grey = true;
  }
  return { atoms, grey };
}

/**
 * The warnings a run prints once (seed 004, §5.3): a continuous density on data with atoms at 0 or 1
 * without dequantization, and a Bernoulli decoder on grey levels.
 */
export function pixelSupportWarnings(model: ModelConfig, train: Source, preprocess: Preprocess): string[] {
  if (preprocess !== 'grey') return [];
  const kinds = valueKinds(train, preprocess);
  const out: string[] = [];
  if (isContinuous(model.decoder) && kinds.atoms && !(model.decoderMinLogVar !== null && model.decoder !== 'continuous-bernoulli')) {
    out.push(
      `warning: the '${model.decoder}' decoder is a density, fit here to ${train.name}, whose values include exactly 0 or 1, without ` +
        `dequantization: the density is unbounded there and the ELBO can grow without limit (seed 004, §5.3). Dequantize ` +
        `8-bit data (train.dequantize, the default with --binarize none) or floor the decoder's log-variance (--min-log-var).`,
    );
  }
  if (model.decoder === 'bernoulli' && kinds.grey) {
    out.push(
      `warning: the 'bernoulli' decoder is fit here to grey levels of ${train.name}: a Bernoulli is a distribution of 0/1 ` +
        `values, so its log-likelihood of grey pixels is not a likelihood (seed 004, §5.3). Binarize (--binarize dynamic) ` +
        `or use a continuous decoder.`,
    );
  }
  return out;
}

/**
 * Bits per dimension of a run's test NLL (nats per example) on data `source`: with the log 256 change of
 * variables for dequantized data, plainly for a Bernoulli decoder on binary pixels, null where the number
 * has no discrete meaning (a density on grey levels without dequantization, a Bernoulli on grey levels,
 * real-valued data).
 */
export function runBitsPerDim(
  model: ModelConfig,
  preprocess: Preprocess,
  nll: number | null,
  source: Pick<Source, 'range'>,
): number | null {
  if (nll === null) return null;
  const dims = model.dataShape.reduce((a, b) => a * b, 1);
  if (preprocess === 'dequantize') return bitsPerDim(nll, dims, true);
  // Discrete likelihoods over the 256 grey levels (beta-binomial, discretized logistic) are code lengths as they are.
  if (model.decoder === 'beta-binomial' || model.decoder === 'discretized-logistic') return bitsPerDim(nll, dims, false);
  const binary = preprocess === 'dynamic-binarize' || source.range === 'binary';
  return binary && model.decoder === 'bernoulli' ? bitsPerDim(nll, dims, false) : null;
}
