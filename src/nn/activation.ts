/** Activation functions by name, as used in configs and on the command line (`--activation`). */
import { elu, leakyRelu } from '../engine/composite.js';
import { relu, sigmoid, softplus, tanh } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';

export const ACTIVATIONS = {
  relu,
  tanh,
  sigmoid,
  softplus,
  elu: (x: Tensor) => elu(x),
  leakyRelu: (x: Tensor) => leakyRelu(x, 0.01),
  linear: (x: Tensor) => x,
} as const;

/** The name of an activation function. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** The activation function named `name`. */
export function activation(name: ActivationName): (x: Tensor) => Tensor {
  return ACTIVATIONS[name];
}
