/** Shared pieces of the sweep tests: a run of a few seconds and the numbers its seed fixes. */
import type { RunSummary } from '../../train/experiment.js';

/** 80 steps of a 784-32-3 VAE on 1,000 MNIST images, one thread, a checkpoint every 20 steps. */
export const TINY_FLAGS = {
  dataset: 'mnist',
  trainN: 1000,
  hidden: [32],
  latent: 3,
  batch: 50,
  maxSteps: 80,
  checkpointEvery: 20,
  evalK: 5,
  evalN: 100,
  report: false,
  threads: 1,
};

/** The numbers of a summary that the seed fixes (not the times or the directory). */
export const results = (s: RunSummary) => ({
  steps: s.steps,
  trainElbo: s.trainElbo,
  testElbo: s.testElbo,
  testKl: s.testKl,
  testNll: s.testNll,
  activeUnits: s.activeUnits,
  klPerLatent: s.klPerLatent,
});
