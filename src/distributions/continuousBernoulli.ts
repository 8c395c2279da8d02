/**
 * The continuous Bernoulli (Loaiza-Ganem & Cunningham 2019): p(x|λ) = C(λ) λˣ (1−λ)¹⁻ˣ on [0, 1],
 * the proper density for grey pixels that seed 004 notes the Bernoulli is not. Parameterised by the
 * logit ℓ = log(λ / (1−λ)), in which 1 − 2λ = −tanh(ℓ/2) and atanh(1 − 2λ) = −ℓ/2.
 */
import { abs, add, div, exp, greater, less, log, maximum, mul, neg, sigmoid, sub, sum, tanh, where } from '../engine/ops.js';
import { square } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { bernoulliLogDensity } from './bernoulli.js';

/** Below this |ℓ| the closed forms are replaced by their Taylor series (|λ − ½| < 0.025). */
const SMALL = 0.1;

/**
 * log C(λ) = log(2 atanh(1−2λ) / (1−2λ)) = log(ℓ / tanh(ℓ/2)) elementwise (Loaiza-Ganem & Cunningham
 * 2019, eq. 7); near λ = ½ the series log 2 + u²/3 − 7u⁴/90 + 62u⁶/2835 with u = ℓ/2 = 2(λ−½) + O((λ−½)³).
 */
export function continuousBernoulliLogNormalizer(logits: Tensor): Tensor {
  const small = less(abs(logits), SMALL);
  // The unselected branch must stay finite (its gradient is multiplied by 0, and 0·NaN = NaN).
  const safe = where(small, 1, logits);
  const direct = sub(log(abs(safe)), log(abs(tanh(mul(safe, 0.5)))));
  const u2 = square(mul(logits, 0.5));
  const series = add(Math.LN2, mul(u2, add(1 / 3, mul(u2, add(-7 / 90, mul(u2, 62 / 2835))))));
  return where(small, series, direct);
}

/** Elementwise log CB(x; λ = σ(ℓ)) = xℓ − softplus(ℓ) + log C(λ), constants included (Loaiza-Ganem & Cunningham 2019). */
export function continuousBernoulliLogDensity(x: Tensor, logits: Tensor): Tensor {
  return add(bernoulliLogDensity(x, logits), continuousBernoulliLogNormalizer(logits));
}

/** log p(x | ℓ) summed over the last axis. */
export function continuousBernoulliLogProb(x: Tensor, logits: Tensor): Tensor {
  return sum(continuousBernoulliLogDensity(x, logits), -1);
}

/**
 * E[x] = λ/(2λ−1) + 1/(2 atanh(1−2λ)) = σ(ℓ)/tanh(ℓ/2) − 1/ℓ (Loaiza-Ganem & Cunningham 2019),
 * with the series ½ + ℓ/12 − ℓ³/720 near ℓ = 0.
 */
export function continuousBernoulliMean(logits: Tensor): Tensor {
  const small = less(abs(logits), SMALL);
  const safe = where(small, 1, logits);
  const direct = sub(div(sigmoid(safe), tanh(mul(safe, 0.5))), div(1, safe));
  const series = add(0.5, mul(logits, add(1 / 12, mul(square(logits), -1 / 720))));
  return where(small, series, direct);
}

/**
 * x ~ CB(λ = σ(ℓ)) by the inverse CDF at u ~ U(0, 1): F⁻¹(u) = log(1 + u(e^ℓ − 1)) / ℓ (Loaiza-Ganem &
 * Cunningham 2019, §3; λ/(1−λ) = e^ℓ). Written with a = |ℓ| so that no exponential overflows:
 * ℓ ≥ 0: x = 1 + g(u), ℓ < 0: x = −g(1 − u), g(v) = log(v + (1 − v) e^(−a)) / a; near ℓ = 0 the series
 * u + u(1 − u) ℓ/2 + u(1 − u)(1 − 2u) ℓ²/6.
 */
export function continuousBernoulliSample(logits: Tensor, u: Tensor): Tensor {
  const a = maximum(abs(logits), SMALL);
  const decay = exp(neg(a));
  const g = (v: Tensor): Tensor => div(log(add(v, mul(sub(1, v), decay))), a);
  const direct = where(greater(logits, 0), add(1, g(u)), neg(g(sub(1, u))));
  const uu = mul(u, sub(1, u));
  const series = add(u, mul(uu, add(mul(logits, 0.5), mul(mul(sub(1, mul(u, 2)), square(logits)), 1 / 6))));
  return where(less(abs(logits), SMALL), series, direct);
}
