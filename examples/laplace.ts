/**
 * A plugin: importing this module registers a Laplace likelihood under the name 'laplace', so that a
 * model config with `decoder: 'laplace'` builds it — in this process and in every later one that opens
 * a run recording this file in its `plugins` (`vaelab eval`, `report`, `train --resume`, `serve`).
 *
 * p(x|z) = Π_i Laplace(x_i; μ_i, b_i) = Π_i exp(−|x_i − μ_i| / b_i) / (2 b_i); the decoder network emits μ
 * and log b per pixel, log b ≥ `minLogScale` (the `partOptions.likelihood` option, default −6).
 */
import { abs, add, cast, exp, less, log, maximum, mul, neg, split, sub, sum, type Tensor } from 'vaelab/engine';
import { registerLikelihood, type Likelihood } from 'vaelab/models';

/** The Laplace likelihood with log b floored at `minLogScale`. */
export function laplaceLikelihood(minLogScale = -6): Likelihood {
  const parts = (out: Tensor): { mu: Tensor; logB: Tensor } => {
    const d = out.shape[out.rank - 1] / 2;
    const [mu, logB] = split(out, [d, d], -1);
    return { mu, logB: maximum(logB, minLogScale) };
  };
  return {
    outputsPerPixel: 2,
    // log p(x|z) = Σ_i −log 2 − log b_i − |x_i − μ_i| / b_i
    logProb: (x, out) => {
      const { mu, logB } = parts(out);
      return sum(sub(neg(add(logB, Math.log(2))), mul(abs(sub(x, mu)), exp(neg(logB)))), -1);
    },
    mean: (out) => parts(out).mu,
    std: () => null,
    sampleNoise: 'uniform',
    // The inverse CDF at u ~ U(0, 1): x = μ + b ln(2u) for u < ½, μ − b ln(2 − 2u) otherwise.
    sample: (out, u) => {
      const { mu, logB } = parts(out);
      const v = maximum(u, 1e-7);
      const below = cast(less(v, 0.5), 'float32');
      const offset = sub(mul(below, log(mul(v, 2))), mul(sub(1, below), log(sub(2, mul(v, 2)))));
      return add(mu, mul(exp(logB), offset));
    },
  };
}

registerLikelihood('laplace', ({ options }) => laplaceLikelihood(typeof options.minLogScale === 'number' ? options.minLogScale : -6), {
  replace: true,
});
