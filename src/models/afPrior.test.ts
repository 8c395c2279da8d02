import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import { logAbsDet, numericalJacobian } from '../engine/testing/jacobian.js';
import { ParameterStore } from '../nn/store.js';
import { AutoregressiveFlowPrior } from './afPrior.js';
import { createModel } from './registry.js';
import type { VAE } from './vae.js';

/** An AF prior with weights scaled up from the initialiser's, so that every step bends the density. */
function flowPrior(d: number, steps: number, seed: number, scale: number): AutoregressiveFlowPrior {
  const store = new ParameterStore(seed);
  const prior = new AutoregressiveFlowPrior(store, d, steps, [8]);
  for (const p of store.all()) p.value = p.value.map((v, i) => v * scale + (p.name.endsWith('bias') ? 0.3 * Math.sin(i + 1) : 0));
  return prior;
}

describe('autoregressive flow prior (Chen et al. 2017)', () => {
  const D = 4;
  const prior = flowPrior(D, 3, 3, 2);
  const z = input('z', [1, D]);
  const point = Array.from(new Random(5).fillNormal(new Float64Array(D)));

  it('log p(z) = log N(f(z)) + log|det ∂f/∂z| with the Jacobian from finite differences', () => {
    const f = prior.forward(z);
    const J = numericalJacobian((v) => interpret([f.eps], { z: v })[0], point);
    const [eps, ld, lp] = interpret([f.eps, f.logDet, prior.logProb(z)], { z: point });
    expect(ld[0]).toBeCloseTo(logAbsDet(J), 6);
    const logN = Array.from(eps).reduce((s, e) => s - 0.5 * (Math.log(2 * Math.PI) + e * e), 0);
    expect(lp[0]).toBeCloseTo(logN + logAbsDet(J), 6);
    // Every step is autoregressive: the Jacobian of the first step alone is triangular.
    const one = flowPrior(D, 1, 3, 2).forward(z);
    const J1 = numericalJacobian((v) => interpret([one.eps], { z: v })[0], point);
    for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) expect(Math.abs(J1[i][j])).toBeLessThan(1e-8);
    expect(Math.abs(J1[D - 1][0])).toBeGreaterThan(1e-3);
  });

  it('sampling inverts the flow: f(f⁻¹(ε)) = ε and f⁻¹(f(z)) = z', () => {
    const n = 16;
    const e = input('e', [n, D]);
    const eps = Array.from(new Random(9).fillNormal(new Float64Array(n * D)));
    const zs = prior.sample({ 'prior.eps': e }, n);
    const [zv, back] = interpret([zs, prior.forward(zs).eps], { e: eps });
    back.forEach((v, i) => expect(v).toBeCloseTo(eps[i], 8));
    const zIn = input('z', [n, D]);
    const [again] = interpret([prior.inverse(prior.forward(zIn).eps)], { z: Array.from(zv) });
    again.forEach((v, i) => expect(v).toBeCloseTo(zv[i], 8));
  });

  it.each([
    [1, 3],
    [2, 2],
  ])('the density integrates to 1 (d = %i, %i steps, midpoint rule)', (d, steps) => {
    const p = flowPrior(d, steps, 11, 1.5);
    const L = 14;
    const k = d === 1 ? 4000 : 500;
    const h = (2 * L) / k;
    const pts =
      d === 1
        ? Array.from({ length: k }, (_, i) => -L + (i + 0.5) * h)
        : Array.from({ length: k * k * 2 }, (_, j) => {
            const cell = Math.floor(j / 2);
            return -L + ((j % 2 === 0 ? Math.floor(cell / k) : cell % k) + 0.5) * h;
          });
    const zIn = input('z', [pts.length / d, d]);
    const [lp] = interpret([p.logProb(zIn)], { z: pts });
    const mass = lp.reduce((s, v) => s + Math.exp(v), 0) * h ** d;
    expect(mass).toBeGreaterThan(0.995);
    expect(mass).toBeLessThan(1.005);
    // Not the standard normal: the flow moved the density.
    const [atZero] = interpret([p.logProb(input('z0', [1, d]))], { z0: new Array<number>(d).fill(0) });
    expect(Math.abs(atZero[0] + (d / 2) * Math.log(2 * Math.PI))).toBeGreaterThan(0.01);
  });

  it("is the prior of `prior: 'af'`, with its own parameters and sampling from seeded noise", () => {
    const model = createModel({
      kind: 'vae',
      prior: 'af',
      latent: 3,
      hidden: [8],
      dataShape: [6],
      priorFlowSteps: 2,
      priorFlowHidden: [5],
    }) as VAE;
    expect(model.prior).toBeInstanceOf(AutoregressiveFlowPrior);
    expect(model.store.all().filter((q) => q.name.startsWith('prior.flow.')).length).toBe(2 * 2 * 2);
    const [spec] = model.priorNoise(4);
    expect(spec).toEqual({ name: 'prior.eps', shape: [4, 3] });
    const e = input('prior.eps', [4, 3]);
    const eps = Array.from(new Random(1).fillNormal(new Float64Array(12)));
    const [a] = interpret([model.samplePrior({ 'prior.eps': e }, 4)], { 'prior.eps': eps });
    const [b] = interpret([model.samplePrior({ 'prior.eps': e }, 4)], { 'prior.eps': eps });
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
