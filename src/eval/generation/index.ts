/** Sample quality: Fréchet distance, precision/recall and label entropy in the features of a classifier. */
export { FeatureClassifier, type ClassifierOptions } from './classifier.js';
export { featureMoments, frechetDistance, traceSqrtProduct, type FeatureMoments } from './frechet.js';
export { precisionRecall, kthNeighbourRadii, type PrecisionRecall } from './precisionRecall.js';
export { labelEntropy, type LabelEntropy } from './labelEntropy.js';
export {
  featureSpace,
  reference,
  scoreImages,
  measureSampler,
  type FeatureSpace,
  type Reference,
  type GenerationResult,
} from './measure.js';
export { measureRunGeneration, type RunGeneration, type RunGenerationOptions } from './run.js';
