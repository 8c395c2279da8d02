/**
 * The discretised logistic over the 256 grey levels x = k/255 (Salimans et al. 2017, PixelCNN++ eq. 2):
 * bin k covers [x − h, x + h] with h = 1/510, the end bins extend to ±∞, so
 *   P(k) = σ((x + h − μ)/s) − σ((x − h − μ)/s),  P(0) = σ((h − μ)/s),  P(255) = 1 − σ((1 − h − μ)/s).
 * A probability mass, not a density: −log P is a code length, comparable with lossless codecs.
 * A small uniform component, (1 − ε)·P(k) + ε/256 with ε = 10⁻³, bounds any pixel's cost at
 * log(256/ε) ≈ 12.5 nats: a confident logistic (s near its floor) otherwise charges hundreds of nats for
 * one unexpected pixel, which on MNIST opens a large gap between training and test likelihood.
 */
import { add, cast, constant, exp, greater, less, log, maximum, mul, neg, reshape, sigmoid, sub, sum, where } from '../engine/ops.js';
import { logSigmoid } from '../engine/composite.js';
import { softplus } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';

/** Half the width of a grey-level bin, 1/510. */
export const LOGISTIC_HALF_BIN = 1 / 510;
/** The floor of log s (PixelCNN++ uses −7): keeps the bins' masses away from 0/1 in float32. */
export const LOGISTIC_MIN_LOG_SCALE = -7;
/** Weight ε of the uniform component over the 256 levels. */
export const LOGISTIC_UNIFORM_WEIGHT = 1e-3;
/** Below this bin width in scale units δ = 2h/s, log(1 − e^(−δ)) uses its series log δ − δ/2. */
const SMALL_DELTA = 1e-3;

/**
 * Elementwise log((1 − ε)P(x; μ, s) + ε/256) for grey levels x ∈ {0, 1/255, ..., 1}, with log s = max(logScale, −7).
 * Interior bins use log(σ(a) − σ(b)) = log σ(a) − softplus(b) + log(1 − e^(−(a−b))), stable for any a > b.
 */
export function discretizedLogisticLogDensity(x: Tensor, mu: Tensor, logScale: Tensor): Tensor {
  const invS = exp(neg(maximum(logScale, LOGISTIC_MIN_LOG_SCALE)));
  const centred = sub(x, mu);
  const a = mul(sub(centred, -LOGISTIC_HALF_BIN), invS);
  const b = mul(sub(centred, LOGISTIC_HALF_BIN), invS);
  const delta = mul(invS, 2 * LOGISTIC_HALF_BIN);
  const small = less(delta, SMALL_DELTA);
  // Both branches stay finite: the unselected one's gradient is multiplied by 0 (0·∞ = NaN).
  const direct = log(maximum(sub(1, exp(neg(delta))), 1e-30));
  const series = sub(log(maximum(delta, 1e-30)), mul(delta, 0.5));
  const logBinWidth = where(small, series, direct);
  const interior = add(sub(logSigmoid(a), softplus(b)), logBinWidth);
  const first = logSigmoid(a);
  const last = neg(softplus(b));
  const logistic = where(less(x, LOGISTIC_HALF_BIN), first, where(greater(x, 1 - LOGISTIC_HALF_BIN), last, interior));
  // log((1 − ε)P + ε/256) = m + log(e^(u−m) + e^(v−m)), u = log(1 − ε) + log P, v = log(ε/256), m = max(u, v).
  const u = add(logistic, Math.log1p(-LOGISTIC_UNIFORM_WEIGHT));
  const v = Math.log(LOGISTIC_UNIFORM_WEIGHT / 256);
  const m = maximum(u, v);
  return add(m, log(add(exp(sub(u, m)), exp(sub(v, m)))));
}

/** The 255 interior bin edges (k − ½)/255, k = 1..255, as a constant [255]. */
const EDGES = Array.from({ length: 255 }, (_, i) => (i + 1) / 255 - LOGISTIC_HALF_BIN);

/**
 * A draw from 256 grey levels by inverting the CDF: x = #{k ∈ 1..255 : C(k) < u} / 255, where
 * `cdfBelow` [..., D, 255] holds C(k) = P(level < k) and u [..., D] is U(0, 1) noise.
 */
export function greyLevelInverseCdf(cdfBelow: Tensor, u: Tensor): Tensor {
  return mul(sum(cast(less(cdfBelow, reshape(u, [...u.shape, 1])), 'float32'), -1), 1 / 255);
}

/** x ~ (1 − ε)·DiscLogistic(μ, s) + ε·Uniform over the 256 levels, from U(0, 1) noise u [..., D]. */
export function discretizedLogisticSample(mu: Tensor, logScale: Tensor, u: Tensor): Tensor {
  const col = (t: Tensor): Tensor => reshape(t, [...t.shape, 1]);
  const invS = exp(neg(maximum(col(logScale), LOGISTIC_MIN_LOG_SCALE)));
  const edges = constant(EDGES, [255]);
  const logistic = sigmoid(mul(sub(edges, col(mu)), invS));
  const uniform = constant(
    EDGES.map((_, i) => (i + 1) / 256),
    [255],
  );
  return greyLevelInverseCdf(add(mul(logistic, 1 - LOGISTIC_UNIFORM_WEIGHT), mul(uniform, LOGISTIC_UNIFORM_WEIGHT)), u);
}
