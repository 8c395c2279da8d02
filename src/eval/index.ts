/**
 * Measuring a trained model (seeds 000–004): the test ELBO and NLL with standard errors, per-layer
 * active units, the variance law, aggregate-posterior moments, posterior collapse, ELBO surgery, the
 * PCA / pPCA baselines and the latents' evolution during training.
 */
export { Evaluator, evaluate, type EvaluateOptions, type EvaluationResult } from './evaluate.js';
export {
  evaluateFull,
  surgeryOf,
  pcaComparison,
  type FullEvaluation,
  type FullEvaluationOptions,
  type SurgeryRow,
  type PcaComparison,
} from './fullEvaluation.js';
export { diagnose, layerDiagnostics, hasStandardPrior, type Diagnostics, type LayerDiagnostics } from './diagnostics.js';
export { posteriorLayers, type LayerPosterior, type PosteriorLayersOptions } from './posteriorLayers.js';
export { varianceLawOf, countActive, type VarianceLaw } from './varianceLaw.js';
export { collapseOf, type Collapse } from './collapse.js';
export { gaussianMixtureMoments, sampleMoments, type Moments } from './moments.js';
export {
  elboSurgery,
  mixtureSurgery,
  standardNormalLogPrior,
  type MixturePosteriors,
  type Surgery,
  type SurgeryOptions,
} from './surgery.js';
export { flowPosteriors, flowSurgery, type FlowPosteriors, type FlowSurgeryOptions } from './flowSurgery.js';
export { topLayerPosteriors, type TopLayerOptions } from './hierarchicalSurgery.js';
export {
  fitPca,
  fitPpca,
  leadingComponents,
  orthonormalizeColumns,
  pcaReconstructionMse,
  pcaTransform,
  ppcaLogLikelihood,
  ppcaParams,
  type PcaFit,
  type PcaOptions,
} from './pca.js';
export { fixInputs, type FixedInputs } from './fixedInputs.js';
export { meanWithError, type MeanWithError } from './standardError.js';
export { LatentEvolution, type LatentSnapshot, type LatentEvolutionOptions } from './evolution.js';
export { evaluationLines, evaluationJson, SEED_SURGERY_TABLE } from './printEvaluation.js';
