/** Distributions as graph builders: log-densities with their constants, reparameterised samples, closed-form KL. */
export * from './normal.js';
export * from './bernoulli.js';
export * from './continuousBernoulli.js';
export * from './mixture.js';
export * from './discretizedLogistic.js';
export * from './betaBinomial.js';
