/** A network read as a diagonal Gaussian: its 2d outputs are [μ, log σ²] (seed 004: φ(x) = [μ_z, σ_z]). */
import { reshape, split } from '../engine/ops.js';
import { clamp } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian } from '../distributions/normal.js';
import type { Net } from './networks.js';

/** log σ² through hardtanh(min, max) when a range is given (Tomczak & Welling 2018's encoder: [−6, 2]). */
export const boundLogVar = (logVar: Tensor, range: readonly [number, number] | null): Tensor =>
  range ? clamp(logVar, range[0], range[1]) : logVar;

/**
 * x [..., in] → N(μ(x), diag σ²(x)) with μ, log σ² of size d (log σ² clamped to `logVarRange` when given);
 * leading axes are flattened for the network.
 */
export function gaussianHead(net: Net, d: number, logVarRange: readonly [number, number] | null = null): (x: Tensor) => DiagonalGaussian {
  return (x) => {
    const lead = x.shape.slice(0, -1);
    const flat = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]]);
    const out = net(flat);
    const [mu, rawLogVar] = split(out, [d, d], -1);
    const logVar = boundLogVar(rawLogVar, logVarRange);
    return x.rank === 2 ? new DiagonalGaussian(mu, logVar) : new DiagonalGaussian(reshape(mu, [...lead, d]), reshape(logVar, [...lead, d]));
  };
}

/** Applies a [N, in] → [N, out] network to z [..., in] by flattening the leading axes. */
export function applyFlat(net: Net, z: Tensor): Tensor {
  if (z.rank === 2) return net(z);
  const out = net(reshape(z, [-1, z.shape[z.rank - 1]]));
  return reshape(out, [...z.shape.slice(0, -1), out.shape[1]]);
}
