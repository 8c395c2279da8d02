/**
 * A model object handed to a run (`runExperiment({ model: m, ... })`, `train(m, data, options)`): the
 * run trains that object but records only its config, so every later process rebuilds the model with
 * `createModel`. These checks make sure the rebuilt model is the one that was trained.
 */
import { ConfigError, type ModelConfig } from '../models/config.js';
import { createModel } from '../models/registry.js';
import type { LatentVariableModel } from '../models/types.js';

/** True for a built model (it has parameters and builds terms), false for a config. */
export function isModelObject(m: unknown): m is LatentVariableModel {
  return typeof m === 'object' && m !== null && typeof (m as LatentVariableModel).terms === 'function' && 'store' in m;
}

/** The config a model object was built from, as a run section. */
export function modelConfigOf(model: LatentVariableModel): Record<string, unknown> {
  if (!model.config)
    throw new ConfigError(
      `the model object has no 'config': a run records the config that rebuilds the model, so build it with createModel(config) or give it a 'config' field`,
    );
  return { ...model.config };
}

/**
 * Refuses a model object that a later process could not rebuild from `config` (the object's config
 * completed by the run: its k and the data's shape): parts given as instances, or parameters whose
 * names or shapes differ from those of `createModel(config)`.
 */
export function checkRebuildable(model: LatentVariableModel, config: ModelConfig): void {
  if (model.givenParts && model.givenParts.length > 0) {
    throw new ConfigError(
      `the model's ${model.givenParts.join(', ')} ${model.givenParts.length === 1 ? 'was' : 'were'} given as instances, which a run cannot record: ` +
        `register ${model.givenParts.length === 1 ? 'it' : 'them'} (registerLikelihood, registerPrior, registerEncoderNetwork, ...) in a plugin module, name ${model.givenParts.length === 1 ? 'it' : 'them'} in the model config and pass the module in 'plugins'`,
    );
  }
  const shapes = (m: LatentVariableModel) => new Map(m.store.all().map((p) => [p.name, p.shape.join('×')]));
  const have = shapes(model);
  const rebuilt = shapes(createModel(config));
  const diffs: string[] = [];
  for (const [name, shape] of have)
    if (rebuilt.get(name) !== shape)
      diffs.push(`${name} is [${shape}] here but ${rebuilt.has(name) ? `[${rebuilt.get(name)}]` : 'absent'} when rebuilt`);
  for (const name of rebuilt.keys()) if (!have.has(name)) diffs.push(`${name} exists only when rebuilt`);
  if (diffs.length > 0) {
    throw new ConfigError(
      `the model object differs from the model its config rebuilds (with the data's shape [${config.dataShape}] and k = ${config.k}): ${diffs.slice(0, 3).join(', ')}${diffs.length > 3 ? `, and ${diffs.length - 3} more` : ''}`,
    );
  }
}
