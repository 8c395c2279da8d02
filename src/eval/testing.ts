/**
 * A test double of the model contract with a known answer (not a vaelab model): z ~ N(0, 1),
 * x | z ~ N(a z, s²) (D = d = 1), so p(x) = N(x; 0, a² + s²), and q(z|x) = N(c · a x / (a² + s²),
 * r · s² / (a² + s²)): the exact posterior for c = r = 1, an inexact one otherwise.
 */
import { add, constant, expand, mul, param, reshape, sum } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { DiagonalGaussian, standardNormalLogDensity } from '../distributions/normal.js';
import { ParameterStore } from '../nn/store.js';
import type { LatentVariableModel, ModelTerms, NoiseSpec } from '../models/types.js';

/** The double's constants: a, s², and the posterior's mean scale c and variance scale r. */
export interface LinearGaussian {
  readonly a: number;
  readonly s2: number;
  readonly c: number;
  readonly r: number;
}

/** The exact log p(x) = log N(x; 0, a² + s²). */
export function exactLogP(g: LinearGaussian, x: number): number {
  const v = g.a * g.a + g.s2;
  return -0.5 * (Math.log(2 * Math.PI * v) + (x * x) / v);
}

/** The posterior's mean and variance at x. */
export function posteriorOf(g: LinearGaussian, x: number): { m: number; v: number } {
  const t = g.a * g.a + g.s2;
  return { m: (g.c * g.a * x) / t, v: (g.r * g.s2) / t };
}

/** The exact ELBO at x: E_q[log N(x; a z, s²)] − KL(q ‖ N(0, 1)) (seed 001's closed-form KL). */
export function exactElbo(g: LinearGaussian, x: number): number {
  const { m, v } = posteriorOf(g, x);
  const rec = -0.5 * (Math.log(2 * Math.PI * g.s2) + ((x - g.a * m) ** 2 + g.a * g.a * v) / g.s2);
  return rec - 0.5 * (m * m + v - 1 - Math.log(v));
}

/** The double as a {@link LatentVariableModel}. */
export function linearGaussianModel(g: LinearGaussian): LatentVariableModel {
  const { a: A, s2: S2 } = g;
  const store = new ParameterStore(0);
  const a = store.create('a', [], () => Float32Array.of(A)); // a parameter, so the graph has one
  const post = (x: Tensor): DiagonalGaussian => {
    const mu = mul(x, mul(param(a), g.c / (A * A + S2)));
    return new DiagonalGaussian(mu, expand(constant(Math.log((g.r * S2) / (A * A + S2))), mu.shape));
  };
  return {
    store,
    dataSize: 1,
    latentSize: 1,
    deterministic: false,
    noise: (b: number, k: number): NoiseSpec[] => [{ name: 'eps', shape: [k, b, 1] }],
    terms(x: Tensor, noise: Record<string, Tensor>, k: number): ModelTerms {
      const q = post(x); // [B, 1]
      const z = q.sample(noise.eps); // [K, B, 1]
      const lik = new DiagonalGaussian(mul(z, param(a)), expand(constant(Math.log(S2)), z.shape));
      const xk = expand(reshape(x, [1, ...x.shape]), [k, ...x.shape]);
      return {
        logLikelihood: lik.logProb(xk),
        logPrior: sum(standardNormalLogDensity(z), -1),
        logPosterior: q.logProb(z),
        klPerLatent: q.klToStandardNormal(),
        posteriorMean: q.mu,
        posteriorLogVar: q.logVar,
      };
    },
    decodeMean: (z) => mul(z, param(a)),
    decodeStd: (z) => add(mul(z, 0), Math.sqrt(S2)),
    samplePrior: (noise) => noise.z,
    priorNoise: (n) => [{ name: 'z', shape: [n, 1] }],
  };
}
