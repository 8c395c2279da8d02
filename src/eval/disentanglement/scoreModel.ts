/** Scoring a trained (or untrained) dSprites model: its posterior means μ(x) through all four metrics. */
import { UserError } from '../../engine/errors.js';
import { DSPRITES_SIDE } from '../../data/dsprites.js';
import type { LatentVariableModel } from '../../models/types.js';
import { DSPRITES_SPACE, modelRepresentation } from './dspritesRepresentations.js';
import { scoreDisentanglement, type DisentanglementOptions, type DisentanglementScores } from './score.js';

/** Options of {@link scoreDspritesModel}. */
export interface ScoreModelOptions extends DisentanglementOptions {
  readonly threads?: number;
  /** Name of the representation in the result (default 'model μ(x)'). */
  readonly name?: string;
}

/**
 * The disentanglement scores of `model` trained on `dataset`. Throws a {@link UserError} when the data
 * carry no ground-truth factors (only dSprites does today) or the model does not take 64×64 images.
 */
export async function scoreDspritesModel(
  model: LatentVariableModel,
  dataset: string,
  opts: ScoreModelOptions = {},
): Promise<DisentanglementScores> {
  if (dataset !== 'dsprites')
    throw new UserError(`--disentanglement needs data with ground-truth factors (dsprites); this run was trained on ${dataset}`);
  if (model.dataSize !== DSPRITES_SIDE * DSPRITES_SIDE)
    throw new UserError(`--disentanglement: the model takes ${model.dataSize} inputs, not dSprites' 64x64 images`);
  const rep = await modelRepresentation(model, { threads: opts.threads, name: opts.name });
  return scoreDisentanglement(DSPRITES_SPACE, rep, opts);
}
