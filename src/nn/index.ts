/** Layers and initialisers; every layer creates its parameters in a ParameterStore. */
export * from './store.js';
export * from './init.js';
export * from './activation.js';
export * from './linear.js';
export * from './mlp.js';
export * from './conv.js';
export * from './gated.js';
export * from './made.js';
export * from './maskedConv.js';
export * from './gatedPixelCnn.js';
export * from './pixelCnn.js';
