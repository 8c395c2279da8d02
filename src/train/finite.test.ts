import { describe, expect, it } from 'vitest';
import { checkFinite, NonFiniteError } from './finite.js';

describe('checkFinite', () => {
  it('passes finite values', () => {
    expect(() => checkFinite({ loss: Float32Array.of(1), kl: Float32Array.of(2, 3) }, 5)).not.toThrow();
  });
  it('names the step and the term that blew up', () => {
    const run = () => checkFinite({ loss: Float32Array.of(1), elbo: Float32Array.of(-1), klPerLatent: Float32Array.of(0, Infinity) }, 42);
    expect(run).toThrow(NonFiniteError);
    expect(run).toThrow(/step 42: klPerLatent\[1\] is Infinity/);
  });
  it('reports the loss first', () => {
    expect(() => checkFinite({ kl: Float32Array.of(NaN), loss: Float32Array.of(NaN) }, 7)).toThrow(/step 7: loss is NaN/);
  });
});
