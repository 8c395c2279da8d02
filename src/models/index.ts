/** Models: the VAE family behind one contract (types.ts), built from a config by the registry. */
export * from './types.js';
export * from './config.js';
export * from './registry.js';
export * from './parts.js';
export * from './likelihood.js';
export * from './priors.js';
export * from './networks.js';
export * from './iaf.js';
export { VAE, createPrior, dataSizeOf } from './vae.js';
export { Autoencoder } from './ae.js';
export { HierarchicalVAE } from './hvae.js';
export * from './generate.js';
export * from './export.js';
