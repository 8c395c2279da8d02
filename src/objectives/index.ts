/** Objectives: every one maps a model's terms to the StepOutput record (seed 002). */
export * from './elbo.js';
export * from './beta.js';
export * from './capacity.js';
export * from './freeBits.js';
export * from './iwae.js';
export * from './schedule.js';
export * from './reduce.js';
export * from './config.js';
