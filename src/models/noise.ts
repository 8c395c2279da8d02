/**
 * The noise a model's graphs read (ε of the reparameterisation, u of a uniform draw): graph input leaves
 * for its {@link NoiseSpec}s, and buffers filled from a seeded generator. Noise is fed, never drawn inside
 * a graph, so every run is reproducible from its seed.
 */
import { input } from '../engine/ops.js';
import type { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import type { NoiseSpec } from './types.js';

/** Filled noise buffers for `specs`, drawn from `rng` (standard normal unless the spec says uniform). */
export function drawNoise(specs: readonly NoiseSpec[], rng: Random, into?: Record<string, Float32Array>): Record<string, Float32Array> {
  const out = into ?? {};
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    let buf = out[s.name];
    if (!buf || buf.length !== size) buf = out[s.name] = new Float32Array(size);
    if (s.kind === 'uniform') rng.fillUniform(buf);
    else {
      rng.fillNormal(buf);
      // Box–Muller draws pairs; consume the spare of an odd count so that the generator's saved
      // state (Random.getState has no spare) describes the stream exactly (checkpoint/resume).
      if (size % 2 === 1) rng.normal();
    }
  }
  return out;
}

/** Graph input leaves for noise specs, by name. */
export function noiseInputs(specs: readonly NoiseSpec[]): Record<string, Tensor<'input'>> {
  return Object.fromEntries(specs.map((s) => [s.name, input(s.name, s.shape)]));
}
