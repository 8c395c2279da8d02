/** Helpers for the tests of models and objectives: graph inputs for noise and their random values. */
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import type { NoiseSpec } from './types.js';

/** One graph input per noise spec, by name. */
export function noiseInputs(specs: readonly NoiseSpec[]): Record<string, Tensor> {
  return Object.fromEntries(specs.map((s) => [s.name, input(s.name, s.shape)]));
}

/** Random values for the specs (standard normal, or uniform on [0, 1) where the spec says so). */
export function noiseFeeds(specs: readonly NoiseSpec[], rng: Random): Record<string, Float64Array> {
  return Object.fromEntries(
    specs.map((s) => {
      const a = new Float64Array(s.shape.reduce((p, q) => p * q, 1));
      return [s.name, s.kind === 'uniform' ? rng.fillUniform(a) : rng.fillNormal(a)];
    }),
  );
}

/** Values in [0, 1], a third of them exactly 0 or 1 (binary-ish data). */
export function dataFeed(n: number, rng: Random): Float64Array {
  return Float64Array.from({ length: n }, () => {
    const u = rng.uniform();
    return u < 0.33 ? 0 : u > 0.67 ? 1 : rng.uniform();
  });
}

export { Random };
