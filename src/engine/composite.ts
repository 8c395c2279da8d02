/**
 * Operations built from the primitives. They need no gradient rule of their own: autodiff goes
 * through the primitives they expand to. Each is written in its numerically stable form.
 */
import {
  add,
  div,
  exp,
  greater,
  log,
  max,
  maximum,
  minimum,
  mul,
  neg,
  normalizeAxes,
  reshape,
  stopGradient,
  sub,
  sum,
  where,
  softplus,
} from './ops.js';
import type { Tensor } from './tensor.js';

/** x². */
export const square = (x: Tensor): Tensor => mul(x, x);

/** Mean over `axes` (all when omitted). */
export function mean(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normalizeAxes('mean', x.rank, axes);
  const n = ax.reduce((p, a) => p * x.shape[a], 1);
  return mul(sum(x, ax, keepdims), 1 / n);
}

/** x for x > 0, alpha·x otherwise. */
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => where(greater(x, 0), x, mul(x, alpha));

/** x for x > 0, alpha·(eᕽ − 1) otherwise (the exp sees min(x, 0) so it never overflows). */
export const elu = (x: Tensor, alpha = 1): Tensor => where(greater(x, 0), x, mul(sub(exp(minimum(x, 0)), 1), alpha));

/** log σ(x) = −softplus(−x). */
export const logSigmoid = (x: Tensor): Tensor => neg(softplus(neg(x)));

/** Clamps to [lo, hi]. */
export const clamp = (x: Tensor, lo: number, hi: number): Tensor => minimum(maximum(x, lo), hi);

/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => div(1, x);

/** log Σ exp(x) over `axes`, computed as m + log Σ exp(x − m) with m = max(x) (m carries no gradient). */
export function logsumexp(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normalizeAxes('logsumexp', x.rank, axes);
  const m = stopGradient(max(x, ax, true));
  const lse = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepdims
    ? lse
    : reshape(
        lse,
        x.shape.filter((_, i) => !ax.includes(i)),
      );
}

/** log softmax along `axis`: x − logsumexp(x). */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => sub(x, logsumexp(x, axis, true));

/** softmax along `axis`. */
export const softmax = (x: Tensor, axis = -1): Tensor => exp(logSoftmax(x, axis));
