/** The models without `export.ts` (which writes ONNX files to disk): what the browser can load; `index.ts` adds it. */
export * from './types.js';
export * from './config.js';
export * from './registry.js';
export {
  registerLikelihood,
  registerPrior,
  registerEncoderNetwork,
  registerDecoderNetwork,
  registerFlow,
  partOptions,
  checkPartNames,
  type ModelParts,
  type Net,
  type PartContext,
  type LikelihoodFactory,
  type PriorContext,
  type PriorFactory,
  type NetworkContext,
  type NetworkFactory,
  type PosteriorFlow,
  type FlowContext,
  type FlowFactory,
} from './parts.js';
export * from './likelihood.js';
export * from './priors.js';
export * from './networks.js';
export * from './iaf.js';
export { AutoregressiveFlowPrior } from './afPrior.js';
export { VAE, createPrior, dataSizeOf } from './vae.js';
export { Autoencoder } from './ae.js';
export { HierarchicalVAE } from './hvae.js';
export * from './generate.js';
export { noiseInputs, drawNoise } from './noise.js';
