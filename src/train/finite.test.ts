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
  it('names the term that blew up, not the loss it sums into', () => {
    expect(() => checkFinite({ loss: Float32Array.of(NaN), kl: Float32Array.of(NaN) }, 7)).toThrow(/step 7: kl is NaN/);
    expect(() => checkFinite({ loss: Float32Array.of(NaN), kl: Float32Array.of(1), reconstruction: Float32Array.of(Infinity) }, 7)).toThrow(
      /reconstruction is Infinity/,
    );
  });
  it('names a parameter whose update blew up when the terms are finite, and says which checkpoint is kept', () => {
    const params = [
      { name: 'enc/w', value: Float32Array.of(0, 1) },
      { name: 'dec/b', value: Float32Array.of(2, NaN) },
    ];
    expect(() => checkFinite({ loss: Float32Array.of(NaN) }, 9, params)).toThrow(/loss is NaN/);
    const run = () => checkFinite({ loss: Float32Array.of(3) }, 9, params, 'no checkpoint was written');
    expect(run).toThrow(/step 9: parameter dec\/b\[1\] is NaN.*no checkpoint was written/);
  });
});
