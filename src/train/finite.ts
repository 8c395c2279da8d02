/** NaN/Inf detection on the values a training step returns. */
import { UserError } from '../engine/errors.js';

/** Training produced a NaN or an infinity; the message names the step and the term. */
export class NonFiniteError extends UserError {
  override readonly name = 'NonFiniteError';
  constructor(
    /** The 1-based step whose results held the value. */
    readonly step: number,
    /** The term (`loss`, `kl`, `klPerLatent[3]`, ...). */
    readonly term: string,
    /** The offending value. */
    readonly value: number,
  ) {
    super(
      `training diverged at step ${step}: ${term} is ${value} ` +
        '(try a lower --lr, a gradient clip, or a smaller --beta; the last checkpoint before it is kept)',
    );
  }
}

/**
 * Checks every value of a step's results (`loss` first, then the other terms in order) and throws a
 * {@link NonFiniteError} naming the first non-finite one; vector terms are named `term[i]`.
 */
export function checkFinite(results: Readonly<Record<string, Float32Array>>, step: number): void {
  const keys = Object.keys(results).sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  for (const key of keys) {
    const v = results[key];
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new NonFiniteError(step, v.length === 1 ? key : `${key}[${i}]`, v[i]);
    }
  }
}
