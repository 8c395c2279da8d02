/** Builds a model from its config through a table keyed by model kind (STYLE 6), never an if/else chain. */
import { ParameterStore } from '../nn/store.js';
import { Autoencoder } from './ae.js';
import { parseModelConfig, type ModelConfig, type ModelConfigInput } from './config.js';
import { HierarchicalVAE } from './hvae.js';
import { M2 } from './m2.js';
import { PixelVAE } from './pixelvae.js';
import { checkPartNames } from './parts.js';
import type { LatentVariableModel } from './types.js';
import { VAE } from './vae.js';

type Builder = (config: ModelConfig, store: ParameterStore) => LatentVariableModel;

const BUILDERS: Record<ModelConfig['kind'], Builder> = {
  ae: (c, s) => new Autoencoder(c, s),
  vae: (c, s) => new VAE(c, s),
  // The IWAE is the VAE's model trained with L_K (Burda et al. 2016): the objective differs, not the model.
  iwae: (c, s) => new VAE(c, s),
  hvae: (c, s) => new HierarchicalVAE(c, s),
  m2: (c, s) => new M2(c, s),
  pixelvae: (c, s) => new PixelVAE(c, s),
};

/**
 * Validates `config` (throwing a ConfigError that names each bad field and each part no one registered,
 * `parts.ts`), then builds the model with
 * parameters initialised from `seed`.
 */
export function createModel(config: ModelConfigInput | ModelConfig, opts: { seed?: number } = {}): LatentVariableModel {
  const parsed = parseModelConfig(config);
  checkPartNames(parsed);
  return BUILDERS[parsed.kind](parsed, new ParameterStore(opts.seed ?? 0));
}
