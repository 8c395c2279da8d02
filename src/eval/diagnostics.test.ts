/** Active units, the variance law and collapse per layer, on encoders whose weights are set by hand. */
import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { makeDataset } from '../data/dataset.js';
import type { HierarchicalVAE } from '../models/hvae.js';
import { createModel } from '../models/registry.js';
import type { LatentVariableModel } from '../models/types.js';
import { diagnose } from './diagnostics.js';
import { fixInputs } from './fixedInputs.js';
import { posteriorLayers } from './posteriorLayers.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, t) => s + t, 0) / v.length;
const variance = (v: ArrayLike<number>) => mean(Array.from(v, (t) => (t - mean(v)) ** 2));

/** Sets a parameter's value: `fill(row, col)` for a [in, out] weight, `fill(col)` for a bias. */
function set(model: LatentVariableModel, name: string, fill: (i: number, j: number) => number): void {
  const p = model.store.get(name);
  const cols = p.shape[p.shape.length - 1];
  p.value = Float32Array.from({ length: p.size }, (_, k) => (p.shape.length === 1 ? fill(k, 0) : fill(Math.floor(k / cols), k % cols)));
}

function data(n: number, D: number, seed: number) {
  const rng = new Random(seed);
  const values = Float32Array.from({ length: n * D }, () => rng.normal());
  return { values, fixed: fixInputs(makeDataset({ name: 'gauss', shape: [D], n, range: 'real', data: values }), n, 'raw', 0) };
}

describe('diagnostics on a hand-set VAE encoder (x ∈ R³, d = 3, linear encoder)', () => {
  // μ_0 = 2 x_0 (active), μ_1 = 0.05 x_1 (Var ≈ 0.0025: not active), μ_2 = 0 with σ² = 1 (inactive, collapsed).
  const model = createModel({ kind: 'vae', dataShape: [3], hidden: [], latent: 3 }, { seed: 1 });
  const W = [
    [2, 0, 0],
    [0, 0.05, 0],
    [0, 0, 0],
  ]; // W[in][μ_u]
  const logVar = [-2, Math.log(0.5), 0];
  set(model, 'encoder.0.weight', (i, j) => (j < 3 ? W[i][j] : 0));
  set(model, 'encoder.0.bias', (j) => (j < 3 ? 0 : logVar[j - 3]));
  const { values, fixed } = data(500, 3, 2);
  const col = (u: number) => Float64Array.from({ length: 500 }, (_, i) => values[i * 3 + u]);

  it('active units, the variance law, the inactive flag and (ε, δ)-collapse match the hand computation', async () => {
    const r = await diagnose(model, fixed, new Random(0));
    expect(r.activeUnitsPerLayer).toEqual([1]);
    const law = r.varianceLaw;
    expect(law.standardPrior).toBe(true);
    expect(law.varMu[0]).toBeCloseTo(4 * variance(col(0)), 4);
    expect(law.varMu[1]).toBeCloseTo(0.0025 * variance(col(1)), 6);
    expect(law.varMu[2]).toBe(0);
    law.meanSigma2.forEach((s, u) => expect(s).toBeCloseTo(Math.exp(logVar[u]), 5));
    expect(law.meanMu2[0]).toBeCloseTo(4 * mean(Array.from(col(0), (v) => v * v)), 4);
    expect(law.secondMoment[0]).toBeCloseTo(law.meanMu2[0] + Math.exp(-2), 5);
    expect(law.totalVariance[1]).toBeCloseTo(law.varMu[1] + 0.5, 5);
    expect(law.inactive).toEqual([false, false, true]);
    // KL_u(x) = ½(μ² + σ² − 1 − log σ²): latent 2 is 0 everywhere, latent 1 ≥ ½(0.5 − 1 + log 2) ≈ 0.097.
    const c = r.collapse!;
    expect(c.epsilon).toBe(0.01);
    const kl0 = Array.from(col(0), (x) => 0.5 * (4 * x * x + Math.exp(-2) - 1 + 2));
    expect(c.fraction[0]).toBeCloseTo(kl0.filter((k) => k < 0.01).length / 500, 10);
    expect(c.fraction[1]).toBe(0);
    expect(c.fraction[2]).toBe(1);
    expect(c.collapsed).toBe(1);
    // The aggregate posterior of latent 2 is N(0, 1) exactly: moments 0, 1, 0, 0.
    const m = r.aggregateMoments;
    expect(m.mean[2]).toBeCloseTo(0, 10);
    expect(m.variance[2]).toBeCloseTo(1, 6);
    expect(m.skewness[2]).toBeCloseTo(0, 6);
    expect(m.excessKurtosis[2]).toBeCloseTo(0, 6);
  });
});

describe('diagnostics per layer of a hand-set hierarchical VAE', () => {
  it('counts z1 and z2 separately, and E_q[z2|x] averages over z1 ~ q(z1|x)', async () => {
    // q(z1|x): μ1 = 3 (x_0, x_1, 0), σ1² = 0.01; q(z2|z1): μ2 = (z1_0 + z1_1, 0), σ2² = 1.
    const model = createModel(
      { kind: 'hvae', dataShape: [4], hidden: [], hidden2: [], latent1: 3, latent: 2 },
      { seed: 1 },
    ) as HierarchicalVAE;
    set(model, 'encoder1.0.weight', (i, j) => (j < 3 && i === j && i < 2 ? 3 : 0));
    set(model, 'encoder1.0.bias', (j) => (j < 3 ? 0 : Math.log(0.01)));
    set(model, 'encoder2.0.weight', (i, j) => (j === 0 && i < 2 ? 1 : 0));
    set(model, 'encoder2.0.bias', () => 0);
    const { values, fixed } = data(400, 4, 3);
    const r = await diagnose(model, fixed, new Random(0), { samples: 256 });
    expect(r.layers.map((l) => l.name)).toEqual(['z1', 'z2']);
    expect(r.activeUnitsPerLayer).toEqual([2, 1]);
    expect(r.activeUnits).toBe(3);
    const [z1, z2] = r.layers;
    expect(z1.varianceLaw.standardPrior).toBe(false); // p(z1|z2) is not N(0, I)
    expect(z2.varianceLaw.standardPrior).toBe(true);
    // E_q[z2_0|x] = 3 (x_0 + x_1) up to the Monte Carlo error of 256 draws (σ = √0.02/16 ≈ 0.009).
    const target = Float64Array.from({ length: 400 }, (_, i) => 3 * (values[i * 4] + values[i * 4 + 1]));
    expect(z2.varianceLaw.varMu[0]).toBeCloseTo(variance(target), 0);
    expect(Math.abs(z2.varianceLaw.varMu[0] / variance(target) - 1)).toBeLessThan(0.01);
    // Var[z2_0|x] = σ2² + Var(z1_0 + z1_1) = 1 + 0.02 (law of total variance); z2_1: σ2² = 1.
    expect(z2.varianceLaw.meanSigma2[0]).toBeCloseTo(1.02, 1);
    expect(Math.abs(z2.varianceLaw.meanSigma2[0] - 1.02)).toBeLessThan(0.01);
    expect(z2.varianceLaw.meanSigma2[1]).toBeCloseTo(1, 1);
    expect(z2.collapse!.collapsed).toBe(1);
  });
});

describe('diagnostics of an IAF posterior: the statistics of z_T', () => {
  it('E_q[z_T|x] and Var_q[z_T|x] by Monte Carlo match the flow of a hand-set constant posterior', async () => {
    // q(z0|x) = N(μ, σ²) for every x; the flow's MADE has zero weights: z_T = s ⊙ z0 + (1 − s) ⊙ m.
    const model = createModel(
      { kind: 'vae', dataShape: [3], hidden: [], latent: 2, flowSteps: 1, flowHidden: [4], flowContext: 0 },
      { seed: 1 },
    );
    const mu = [1, -2];
    const lv = [Math.log(0.5), Math.log(2)];
    set(model, 'encoder.0.weight', () => 0);
    set(model, 'encoder.0.bias', (j) => (j < 2 ? mu[j] : j < 4 ? lv[j - 2] : 0));
    for (const p of model.store.all().filter((q) => q.name.startsWith('flow.'))) p.value = new Float32Array(p.size);
    const mOut = [0.5, -0.5];
    const sOut = [0, 1];
    const last = model.store
      .all()
      .filter((q) => q.name.startsWith('flow.') && q.name.endsWith('.bias'))
      .pop()!;
    last.value = Float32Array.from([...mOut, ...sOut]);
    const { fixed } = data(50, 3, 4);
    const S = 4096;
    const r = await diagnose(model, fixed, new Random(0), { samples: S });
    const [post] = await posteriorLayers(model, fixed.data, new Random(0), { samples: S });
    for (let u = 0; u < 2; u++) {
      const s = sigmoid(sOut[u]);
      const expectedMean = s * mu[u] + (1 - s) * mOut[u];
      const expectedVar = s * s * Math.exp(lv[u]);
      const m = post.mean[u]; // E_q[z_T|x] of the first example
      expect(Math.abs(m - expectedMean)).toBeLessThan((4 * Math.sqrt(expectedVar)) / Math.sqrt(S));
      expect(Math.abs(r.varianceLaw.meanSigma2[u] / expectedVar - 1)).toBeLessThan(0.05);
    }
    // Per latent, the KL of the moment-matched Gaussian: exact here (the flow is affine).
    for (let u = 0; u < 2; u++) {
      const s = sigmoid(sOut[u]);
      const m = s * mu[u] + (1 - s) * mOut[u];
      const v = s * s * Math.exp(lv[u]);
      expect(r.klPerLatent![u]).toBeCloseTo(0.5 * (m * m + v - 1 - Math.log(v)), 1);
    }
    expect(r.collapse!.collapsed).toBe(0);
  });

  it('collapse of z_T (Lucas et al. 2019): a latent whose q(z_T,u|x) is N(0, 1) is collapsed at the default S, the others not', async () => {
    const model = createModel(
      { kind: 'vae', dataShape: [3], hidden: [], latent: 2, flowSteps: 1, flowHidden: [4], flowContext: 0 },
      { seed: 1 },
    );
    set(model, 'encoder.0.weight', () => 0);
    set(model, 'encoder.0.bias', (j) => (j === 1 ? -2 : 0)); // μ = (0, −2), σ² = (1, 1)
    for (const p of model.store.all().filter((q) => q.name.startsWith('flow.'))) p.value = new Float32Array(p.size);
    model.store
      .all()
      .filter((q) => q.name.startsWith('flow.') && q.name.endsWith('.bias'))
      .pop()!.value = Float32Array.from([0, 0, 20, 20]); // σ_t ≈ 1: identity
    const r = await diagnose(model, data(200, 3, 5).fixed, new Random(2));
    expect(r.collapse!.fraction[0]).toBeGreaterThanOrEqual(0.99);
    expect(r.collapse!.fraction[1]).toBe(0);
    expect(r.collapse!.collapsed).toBe(1);
  });
});

describe('KL per latent under a mixture prior (Monte Carlo against the 1-D marginals)', () => {
  it('a one-component MoG prior N(m, s²) gives the Gaussian KL per latent in closed form', async () => {
    const model = createModel({ kind: 'vae', dataShape: [3], hidden: [], latent: 2, prior: 'mog', components: 1 }, { seed: 1 });
    const m = [0.5, -1];
    const lv = [0, Math.log(2)];
    model.store.get('prior.mu').value = Float32Array.from(m);
    model.store.get('prior.logVar').value = Float32Array.from(lv);
    set(model, 'encoder.0.weight', (i, j) => (j < 2 && i === j ? 1 : 0));
    set(model, 'encoder.0.bias', (j) => (j < 2 ? 0 : -1));
    const { values, fixed } = data(100, 3, 6);
    const r = await diagnose(model, fixed, new Random(0), { samples: 2000 });
    expect(r.varianceLaw.standardPrior).toBe(false);
    for (let u = 0; u < 2; u++) {
      // KL(N(μ, σ²) ‖ N(m, s²)) = ½ (log s² − log σ² + (σ² + (μ − m)²) / s² − 1), σ² = e^{−1}.
      const kl = mean(
        Array.from({ length: 100 }, (_, i) => 0.5 * (lv[u] + 1 + (Math.exp(-1) + (values[i * 3 + u] - m[u]) ** 2) / Math.exp(lv[u]) - 1)),
      );
      expect(Math.abs(r.klPerLatent![u] - kl)).toBeLessThan(0.02);
    }
  });
});
