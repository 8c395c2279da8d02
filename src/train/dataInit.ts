/**
 * Initialisation that reads the training data: the decoder's output bias set to the logit of each
 * pixel's mean over the training set (Burda et al. 2016's code, `output_bias = logit(clip(mean))`), so
 * that the untrained decoder already predicts the average image.
 */
import { toBatch, type Preprocess } from '../data/batches.js';
import { exampleSize, range, type Source } from '../data/dataset.js';
import type { ModelConfig } from '../models/config.js';
import { outputBiasName } from '../models/networks.js';
import type { LatentVariableModel } from '../models/types.js';

/** Each input's mean over `source` (preprocessed as the model sees it; dynamic binarization uses its expectation). */
export function pixelMeans(source: Source, preprocess: Preprocess, chunk = 1000): Float64Array {
  const d = exampleSize(source);
  const sums = new Float64Array(d);
  const how = preprocess === 'dynamic-binarize' ? 'grey' : preprocess;
  for (let start = 0; start < source.n; start += chunk) {
    const rows = Math.min(chunk, source.n - start);
    const batch = toBatch(source, range(start, start + rows), { preprocess: how });
    for (let i = 0; i < rows * d; i++) sums[i % d] += batch[i];
  }
  return sums.map((s) => s / source.n);
}

/** Applies the config's data-dependent initialisation (`decoderBias: 'data-logit'`) to a new model. */
export function initialiseFromData(model: LatentVariableModel, config: ModelConfig, train: Source, preprocess: Preprocess): void {
  if (config.decoderBias !== 'data-logit') return;
  const bias = model.store.get(outputBiasName(config, config.kind === 'hvae' ? 'decoder1' : 'decoder'));
  const means = pixelMeans(train, preprocess);
  if (bias.value.length !== means.length) {
    throw new Error(
      `decoderBias 'data-logit': the decoder's output bias has ${bias.value.length} entries, the data ${means.length} (one output per pixel expected)`,
    );
  }
  // b_i = logit(clip(m_i, 0.001, 0.999)), as in Burda et al.'s code.
  const logit = (m: number): number => {
    const p = Math.min(Math.max(m, 1e-3), 1 - 1e-3);
    return Math.log(p / (1 - p));
  };
  bias.value.set(means.map(logit));
}
