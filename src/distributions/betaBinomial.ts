/**
 * The beta-binomial over the 256 grey levels k = 255·x (what BB-ANS used for grey MNIST, Townsend et al.
 * 2019): P(k) = C(n, k) B(k + α, n − k + β) / B(α, β) with n = 255. With α, β < 1 it is U-shaped,
 * mass at both ends and some in between: the shape of a digit's edge pixels.
 */
import { add, constant, div, exp, log, matmul, mul, reshape, sub } from '../engine/ops.js';
import { greyLevelInverseCdf } from './discretizedLogistic.js';
import { softplus } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';

/** Trials n: the largest grey level. */
export const BETA_BINOMIAL_N = 255;
/** α = softplus(a) + this, β likewise: keeps both away from 0. */
export const BETA_BINOMIAL_MIN = 1e-3;

/** Stirling's series for log Γ(y), y ≥ 6: (y − ½) log y − y + ½ log 2π + 1/(12y) − 1/(360y³) + 1/(1260y⁵) (error < 1e-9). */
function stirling(y: Tensor): Tensor {
  const inv = div(1, y);
  const inv2 = mul(inv, inv);
  const series = mul(inv, add(1 / 12, mul(inv2, add(-1 / 360, mul(inv2, 1 / 1260)))));
  return add(sub(mul(sub(y, 0.5), log(y)), y), add(0.5 * Math.log(2 * Math.PI), series));
}

/** log Γ(x) for x > 0, as a graph: log Γ(x) = log Γ(x + 6) − log(x (x+1) ... (x+5)). */
export function logGamma(x: Tensor): Tensor {
  let prod = x;
  for (let i = 1; i < 6; i++) prod = mul(prod, add(x, i));
  return sub(stirling(add(x, 6)), log(prod));
}

/** The concentrations α, β from the network's two outputs per pixel. */
export const betaBinomialConcentration = (raw: Tensor): Tensor => add(softplus(raw), BETA_BINOMIAL_MIN);

/**
 * Elementwise log P(k; α, β) for grey levels x = k/255 ∈ [0, 1]:
 * log C(n, k) + log Γ(k + α) + log Γ(n − k + β) − log Γ(n + α + β) + log Γ(α + β) − log Γ(α) − log Γ(β).
 */
export function betaBinomialLogDensity(x: Tensor, alpha: Tensor, beta: Tensor): Tensor {
  const n = BETA_BINOMIAL_N;
  const k = mul(x, n);
  const nk = sub(n, k);
  const logChoose = sub(sub(logGammaConstant(n + 1), logGamma(add(k, 1))), logGamma(add(nk, 1)));
  const num = add(logGamma(add(k, alpha)), logGamma(add(nk, beta)));
  const norm = sub(logGamma(add(alpha, beta)), add(logGamma(alpha), logGamma(beta)));
  return add(add(logChoose, sub(num, logGamma(add(add(alpha, beta), n)))), norm);
}

/** log Γ(m) of a number, by the same series (float64). */
export function logGammaConstant(x: number): number {
  let prod = x;
  for (let i = 1; i < 6; i++) prod *= x + i;
  const y = x + 6;
  const inv = 1 / y;
  const inv2 = inv * inv;
  return (y - 0.5) * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 + inv2 * (-1 / 360 + inv2 / 1260)) - Math.log(prod);
}

/** [256, 255] with 1 where level j < k + 1: probabilities [.., 256] times it give C(k) = P(level < k), k = 1..255. */
const BELOW = Array.from({ length: 256 * 255 }, (_, i) => (Math.floor(i / 255) < (i % 255) + 1 ? 1 : 0));
/** The 256 grey levels k/255 as a constant [256]. */
const LEVELS = Array.from({ length: 256 }, (_, k) => k / 255);

/** x ~ BetaBin(255; α, β) / 255 from U(0, 1) noise u [..., D], by inverting the CDF over the 256 levels. */
export function betaBinomialSample(alpha: Tensor, beta: Tensor, u: Tensor): Tensor {
  const col = (t: Tensor): Tensor => reshape(t, [...t.shape, 1]);
  const probs = exp(betaBinomialLogDensity(constant(LEVELS, [256]), col(alpha), col(beta))); // [..., D, 256]
  const rows = probs.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const below = reshape(matmul(reshape(probs, [rows, 256]), constant(BELOW, [256, 255])), [...probs.shape.slice(0, -1), 255]);
  return greyLevelInverseCdf(below, u);
}
