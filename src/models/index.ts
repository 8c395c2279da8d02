/** Models: the VAE family behind one contract (types.ts), built from a config by the registry. */
export * from './browser.js';
export * from './export.js';
