/** Parameter initialisers: functions from a shape and a generator to initial values. */
import type { Random } from '../engine/random.js';

export type Initializer = (shape: readonly number[], rng: Random) => Float32Array;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Fan-in and fan-out of a dense [in, out] or conv [out, in, kH, kW] weight. */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = size(shape.slice(2));
  return [shape[1] * receptive, shape[0] * receptive];
}

/** All zeros. */
export const zerosInit: Initializer = (shape) => new Float32Array(size(shape));

/** A constant value. */
export const constantInit =
  (v: number): Initializer =>
  (shape) =>
    new Float32Array(size(shape)).fill(v);

/** Uniform on [−a, a] with a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export const glorotUniform =
  (gain = 1): Initializer =>
  (shape, rng) => {
    const [fanIn, fanOut] = fans(shape);
    const a = gain * Math.sqrt(6 / (fanIn + fanOut));
    return new Float32Array(size(shape)).map(() => (2 * rng.uniform() - 1) * a);
  };

/** Uniform on [lo, hi). */
export const uniformInit =
  (lo: number, hi: number): Initializer =>
  (shape, rng) =>
    new Float32Array(size(shape)).map(() => lo + (hi - lo) * rng.uniform());

/** Uniform on [−1/√fan_in, 1/√fan_in]: PyTorch's default for Linear and Conv layers. */
export const lecunUniform: Initializer = (shape, rng) => {
  const a = 1 / Math.sqrt(fans(shape)[0]);
  return new Float32Array(size(shape)).map(() => (2 * rng.uniform() - 1) * a);
};

/** Normal with standard deviation √(2 / fan_in) (He et al. 2015), for ReLU networks. */
export const heNormal: Initializer = (shape, rng) => {
  const std = Math.sqrt(2 / fans(shape)[0]);
  return new Float32Array(size(shape)).map(() => rng.normal() * std);
};

/** Normal with a given mean and standard deviation. */
export const normalInit =
  (mean: number, std: number): Initializer =>
  (shape, rng) =>
    new Float32Array(size(shape)).map(() => mean + rng.normal() * std);
