/**
 * Acceptance test of the linear VAE (seed 004 §5.4): no hidden layers, identity activations and a
 * Gaussian decoder with one learned variance, p(x|z) = N(x; W z + b, σ² I), is probabilistic PCA.
 * Its ELBO has the same global maximum as the pPCA log-likelihood (Lucas et al. 2019, "Don't blame
 * the ELBO!"), so training on data from a known pPCA model must recover the closed-form maximum-
 * likelihood fit (Tipping & Bishop 1999): σ², the principal subspace, the exact log-likelihood and
 * the ELBO itself.
 */
import { describe, expect, it } from 'vitest';
import { ppcaLogLikelihood, randomPpcaParams, samplePpca, type PpcaParams } from '../data/ppca.js';
import { fitPpca } from '../eval/pca.js';
import { symmetricEigen } from '../data/linalg.js';
import { input } from '../engine/ops.js';
import { adam } from '../engine/optim.js';
import { interpret } from '../engine/reference.js';
import { TrainStep } from '../engine/trainStep.js';
import { buildObjective } from '../objectives/config.js';
import { createModel } from './registry.js';
import { noiseInputs, Random } from './testing.js';

const D = 10;
const Q = 3;
const N = 5000;
const BATCH = 1024;
const STEPS = 15_000;

/** Learning rate: 1e-2 for the first 20% of the steps, then exponential decay to 1e-4 at the end. */
const lrAt = (t: number): number => {
  const warm = 0.2 * STEPS;
  return t < warm ? 1e-2 : 1e-2 * 0.01 ** ((t - warm) / (STEPS - warm));
};

/** The trained linear VAE's parameters in float64: encoder μ = xA_μ + a_μ, log σ² = xA_v + a_v; decoder W [D, Q], b, σ². */
interface LinearVae {
  encW: Float64Array; // [D, 2Q]
  encB: Float64Array; // [2Q]
  W: Float64Array; // [D, Q] (the transpose of the decoder's stored [Q, D] weight)
  b: Float64Array;
  sigma2: number;
}

/**
 * The ELBO per example in closed form (everything is Gaussian and linear):
 * E_q log p(x|z) = −D/2 log(2πσ²) − (‖x − Wμ − b‖² + Σ_j v_j ‖W_:j‖²) / (2σ²),
 * KL = ½ Σ_j (μ_j² + v_j − 1 − log v_j), with μ, log v the encoder's outputs.
 */
function closedFormElbo(m: LinearVae, data: ArrayLike<number>, n: number): number {
  const colNorm2 = Array.from({ length: Q }, (_, j) => {
    let s = 0;
    for (let r = 0; r < D; r++) s += m.W[r * Q + j] ** 2;
    return s;
  });
  let total = 0;
  const mu = new Float64Array(Q);
  const logV = new Float64Array(Q);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2 * Q; j++) {
      let s = m.encB[j];
      for (let r = 0; r < D; r++) s += data[i * D + r] * m.encW[r * 2 * Q + j];
      if (j < Q) mu[j] = s;
      else logV[j - Q] = s;
    }
    let sq = 0;
    for (let r = 0; r < D; r++) {
      let pred = m.b[r];
      for (let j = 0; j < Q; j++) pred += m.W[r * Q + j] * mu[j];
      sq += (data[i * D + r] - pred) ** 2;
    }
    let kl = 0;
    for (let j = 0; j < Q; j++) {
      const v = Math.exp(logV[j]);
      sq += v * colNorm2[j];
      kl += 0.5 * (mu[j] ** 2 + v - 1 - logV[j]);
    }
    total += -0.5 * D * Math.log(2 * Math.PI * m.sigma2) - sq / (2 * m.sigma2) - kl;
  }
  return total / n;
}

/** An orthonormal basis [D, Q] of the column space of a [D, Q] matrix: A V Λ^{-1/2} with AᵀA = V Λ Vᵀ. */
function orthonormalColumns(a: Float64Array): Float64Array {
  const gram = new Float64Array(Q * Q);
  for (let i = 0; i < Q; i++) for (let j = 0; j < Q; j++) for (let r = 0; r < D; r++) gram[i * Q + j] += a[r * Q + i] * a[r * Q + j];
  const { values, vectors } = symmetricEigen(gram, Q);
  const out = new Float64Array(D * Q);
  for (let r = 0; r < D; r++) {
    for (let k = 0; k < Q; k++) {
      let s = 0;
      for (let i = 0; i < Q; i++) s += a[r * Q + i] * vectors[i * Q + k];
      out[r * Q + k] = s / Math.sqrt(values[k]);
    }
  }
  return out;
}

/** The largest principal angle between the column spaces of two [D, Q] matrices, in degrees. */
function largestPrincipalAngle(a: Float64Array, b: Float64Array): number {
  const qa = orthonormalColumns(a);
  const qb = orthonormalColumns(b);
  const m = new Float64Array(Q * Q); // Q_aᵀ Q_b
  for (let i = 0; i < Q; i++) for (let j = 0; j < Q; j++) for (let r = 0; r < D; r++) m[i * Q + j] += qa[r * Q + i] * qb[r * Q + j];
  const mtm = new Float64Array(Q * Q);
  for (let i = 0; i < Q; i++) for (let j = 0; j < Q; j++) for (let k = 0; k < Q; k++) mtm[i * Q + j] += m[k * Q + i] * m[k * Q + j];
  const { values } = symmetricEigen(mtm, Q); // squared cosines of the principal angles
  const cosMin = Math.sqrt(Math.min(1, Math.max(0, values[Q - 1])));
  return (Math.acos(cosMin) * 180) / Math.PI;
}

describe('linear VAE recovers probabilistic PCA', () => {
  it('σ², principal subspace, exact log-likelihood and ELBO match the closed-form pPCA maximum', async () => {
    const rng = new Random(5);
    const truth = randomPpcaParams(D, Q, 0.5, rng);
    const data = samplePpca(truth, N, rng).data as Float32Array;
    const ml = await fitPpca(data, N, D, Q, { threads: 1 });
    const maxLogLik = ppcaLogLikelihood(data, N, ml);

    const model = createModel(
      { kind: 'vae', dataShape: [D], hidden: [], latent: Q, activation: 'linear', decoder: 'gaussian-scalar' },
      { seed: 7 },
    );
    expect(model.store.all().map((p) => `${p.name} [${p.shape}]`)).toEqual([
      `encoder.0.weight [${D},${2 * Q}]`,
      `encoder.0.bias [${2 * Q}]`,
      'decoder.logVar [1]',
      `decoder.0.weight [${Q},${D}]`,
      `decoder.0.bias [${D}]`,
    ]);

    // Train through the ONNX training step: loss = −ELBO on minibatches of 1024, one noise sample each.
    const x = input('x', [BATCH, D]);
    const specs = model.noise(BATCH, 1);
    const eps0 = input(specs[0].name, specs[0].shape);
    const out = buildObjective(
      model,
      x,
      { [specs[0].name]: eps0 },
      { kind: 'elbo' },
      { beta: input('beta', []), capacity: input('capacity', []) },
    );
    const step = await TrainStep.create({ loss: out.loss, inputs: [x, eps0], optimizer: adam() }, { threads: 1 });
    const xb = new Float32Array(BATCH * D);
    const eps = new Float32Array(BATCH * Q);
    const trainRng = new Random(11);
    const perm = trainRng.permutation(N);
    let cursor = N;
    for (let t = 0; t < STEPS; t++) {
      for (let i = 0; i < BATCH; i++) {
        if (cursor === N) {
          trainRng.shuffle(perm);
          cursor = 0;
        }
        xb.set(data.subarray(perm[cursor] * D, perm[cursor] * D + D), i * D);
        cursor++;
      }
      trainRng.fillNormal(eps);
      await step.run({ x: xb, [specs[0].name]: eps }, lrAt(t));
    }

    const value = (name: string): Float64Array => Float64Array.from(model.store.get(name).value);
    const decW = value('decoder.0.weight'); // [Q, D]
    const W = new Float64Array(D * Q);
    for (let r = 0; r < D; r++) for (let j = 0; j < Q; j++) W[r * Q + j] = decW[j * D + r];
    const learned: LinearVae = {
      encW: value('encoder.0.weight'),
      encB: value('encoder.0.bias'),
      W,
      b: value('decoder.0.bias'),
      sigma2: Math.exp(value('decoder.logVar')[0]),
    };
    const learnedPpca: PpcaParams = { d: D, q: Q, W, mu: learned.b, sigma2: learned.sigma2 };

    const sigma2RelErr = Math.abs(learned.sigma2 - ml.sigma2) / ml.sigma2;
    const angle = largestPrincipalAngle(W, ml.W);
    const logLikGap = maxLogLik - ppcaLogLikelihood(data, N, learnedPpca);
    const elbo = closedFormElbo(learned, data, N);
    const elboGap = maxLogLik - elbo;
    console.log(
      `linear VAE vs pPCA (D=${D}, q=${Q}, n=${N}, ${STEPS} Adam steps at batch ${BATCH}): ` +
        `sigma^2 ${learned.sigma2.toFixed(5)} vs ${ml.sigma2.toFixed(5)} (rel. err ${(100 * sigma2RelErr).toFixed(3)}%), ` +
        `largest principal angle ${angle.toFixed(4)} deg, ` +
        `log-lik gap ${logLikGap.toFixed(5)} nats/example (max ${maxLogLik.toFixed(4)}), ` +
        `ELBO gap ${elboGap.toFixed(5)} nats/example (ELBO ${elbo.toFixed(4)})`,
    );

    // The closed-form ELBO is the model's own objective: check it against the graph on all the data (Monte Carlo, 8 samples).
    const K = 8;
    const xAll = input('x', [N, D]);
    const allSpecs = model.noise(N, K);
    const mc = buildObjective(
      model,
      xAll,
      noiseInputs(allSpecs),
      { kind: 'elbo', k: K },
      { beta: input('beta', []), capacity: input('capacity', []) },
    );
    const epsAll = new Random(13).fillNormal(new Float64Array(K * N * Q));
    const [mcElbo] = interpret([mc.elbo], { x: data, [allSpecs[0].name]: epsAll });
    expect(Math.abs(mcElbo[0] - elbo)).toBeLessThan(0.02);

    expect(sigma2RelErr).toBeLessThan(0.02);
    expect(angle).toBeLessThan(1);
    expect(logLikGap).toBeLessThan(0.1);
    expect(elboGap).toBeLessThan(0.15);
    expect(logLikGap).toBeGreaterThan(-1e-6); // the pPCA fit is the global maximum
  });
});
