/** The compute engine: build graphs of tensors, differentiate them, run them. */
export * from './browser.js';
export * from './checkpoint.js';
