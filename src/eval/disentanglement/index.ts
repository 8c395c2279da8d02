/** Disentanglement metrics on data with ground-truth factors (dSprites): β-VAE score, FactorVAE score, MIG, DCI, and the baselines. */
export { sampleFactors, sampleCodes, type FactorSpace, type Representation } from './factors.js';
export { betaVaePoints, betaVaeRecall, betaVaeScore, type BetaVaePoints, type BetaVaeScore, type BetaVaeScoreOptions } from './betaVae.js';
export { factorVaeScore, majorityVote, type FactorVaeScore, type FactorVaeScoreOptions } from './factorVae.js';
export {
  discreteEntropy,
  discreteMutualInformation,
  discretizeColumn,
  migFromCodes,
  migScore,
  type MigOptions,
  type MigResult,
} from './mig.js';
export { dciFromImportance, dciScore, type DciOptions, type DciResult } from './dci.js';
export { groundTruthRepresentation, linearRepresentation, noiseRepresentation, randomRotation } from './representations.js';
export {
  DSPRITES_SPACE,
  modelRepresentation,
  pcaRepresentation,
  pixelRepresentation,
  renderFactorRows,
  type ModelRepresentationOptions,
} from './dspritesRepresentations.js';
export { formatDisentanglement, scoreDisentanglement, type DisentanglementOptions, type DisentanglementScores } from './score.js';
export { scoreDspritesModel, type ScoreModelOptions } from './scoreModel.js';
export { cachedRepresentation, type CachedRepresentation } from './cachedRepresentation.js';
