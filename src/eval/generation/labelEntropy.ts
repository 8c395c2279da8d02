/**
 * Label entropies of generated samples under a classifier p(y|x) (the ingredients of Salimans et al.
 * 2016's Inception Score): confident samples have a low mean entropy H(y|x); diverse samples a high
 * entropy H(y) of the marginal p(y) = mean_x p(y|x); IS = exp(E_x KL(p(y|x) ‖ p(y))) = exp(H(y) − E_x H(y|x)).
 */

/** Entropies in nats. */
export interface LabelEntropy {
  /** E_x H(p(y|x)): low when each sample is confidently one class. */
  readonly conditional: number;
  /** H(p(y)) of the mean class probabilities: log C when the classes are used evenly. */
  readonly marginal: number;
  /** exp(H(y) − E_x H(y|x)), between 1 and the number of classes C. */
  readonly score: number;
}

const entropy = (p: ArrayLike<number>, off: number, c: number): number => {
  let h = 0;
  for (let j = 0; j < c; j++) {
    const v = p[off + j];
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
};

/** Label entropies of n samples from their class probabilities `probs` (row-major [n, c], rows sum to 1). */
export function labelEntropy(probs: ArrayLike<number>, c: number): LabelEntropy {
  const n = Math.floor(probs.length / c);
  if (n < 1 || n * c !== probs.length)
    throw new RangeError(`labelEntropy: expected rows of ${c} probabilities, got ${probs.length} values`);
  const marginalP = new Float64Array(c);
  let conditional = 0;
  for (let i = 0; i < n; i++) {
    conditional += entropy(probs, i * c, c);
    for (let j = 0; j < c; j++) marginalP[j] += probs[i * c + j] / n;
  }
  conditional /= n;
  const marginal = entropy(marginalP, 0, c);
  return { conditional, marginal, score: Math.exp(marginal - conditional) };
}
