/** The compute engine: build graphs of tensors, differentiate them, run them. */
export * from './primitives.js';
export * from './tensor.js';
export * from './parameter.js';
export * from './ops.js';
export * from './composite.js';
export { Random } from './random.js';
