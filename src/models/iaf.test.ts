import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import { logAbsDet, numericalJacobian } from '../engine/testing/jacobian.js';
import { ParameterStore } from '../nn/store.js';
import { IAF } from './iaf.js';

const D = 4;

describe('inverse autoregressive flow', () => {
  const store = new ParameterStore(4);
  const flow = new IAF(store, 'flow', D, 3, [8]);
  // Larger weights than the initialiser's, so that the test sees real dependence.
  for (const p of store.all()) p.value = p.value.map((v) => v * 3);
  const z0 = input('z0', [1, D]);
  const zPoint = Array.from(new Random(11).fillNormal(new Float64Array(D)));

  it('one step is autoregressive: its Jacobian is lower triangular with diagonal σ', () => {
    const step = flow.step(0, z0);
    const J = numericalJacobian((z) => interpret([step.z], { z0: z })[0], zPoint);
    for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) expect(Math.abs(J[i][j])).toBeLessThan(1e-8);
    expect(J[1][0] !== 0 || J[2][0] !== 0).toBe(true);
    const [ls] = interpret([step.logSigma], { z0: zPoint });
    ls.forEach((v, i) => expect(v).toBeCloseTo(Math.log(J[i][i]), 6));
  });

  it('log det of the whole flow (with reversals) matches log|det J| of finite differences', () => {
    const f = flow.forward(z0);
    const J = numericalJacobian((z) => interpret([f.z], { z0: z })[0], zPoint);
    const [ld] = interpret([f.logDet], { z0: zPoint });
    expect(ld[0]).toBeCloseTo(logAbsDet(J), 6);
  });

  it('with the encoder context h (Kingma et al. 2016): still autoregressive in z, log det exact, and h matters', () => {
    const s2 = new ParameterStore(5);
    const ctxFlow = new IAF(s2, 'flow', D, 2, [8], 'relu', 3);
    for (const p of s2.all()) p.value = p.value.map((v) => v * 3);
    const h = input('h', [1, 3]);
    const hv = [0.5, -1, 2];
    const f = ctxFlow.forward(z0, h);
    const J = numericalJacobian((z) => interpret([f.z], { z0: z, h: hv })[0], zPoint);
    const [ld, per] = interpret([f.logDet, f.logDetPerVariable], { z0: zPoint, h: hv });
    expect(ld[0]).toBeCloseTo(logAbsDet(J), 6);
    expect(per.reduce((a, v) => a + v, 0)).toBeCloseTo(ld[0], 10);
    const step = ctxFlow.step(0, z0, h);
    const J0 = numericalJacobian((z) => interpret([step.z], { z0: z, h: hv })[0], zPoint);
    for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) expect(Math.abs(J0[i][j])).toBeLessThan(1e-8);
    const [a] = interpret([f.z], { z0: zPoint, h: hv });
    const [b] = interpret([f.z], { z0: zPoint, h: [0, 0, 0] });
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
  });

  it('logDetPerVariable and align follow each variable through the reversals (elementwise flow, 2 and 3 steps)', () => {
    for (const steps of [2, 3]) {
      const s3 = new ParameterStore(6);
      const f = new IAF(s3, 'flow', D, steps, [8]);
      // Zero weights: every step is elementwise, z_t,i = σ_t,i z_{t−1},i + (1 − σ_t,i) m_t,i with constants
      // from the biases, so z_T,j depends on one z_0 variable π(j), with ∂z_T,j/∂z_0,π(j) = Π_t σ_t.
      const rng = new Random(steps);
      for (const p of s3.all()) p.value = p.name.endsWith('weight') ? p.value.map(() => 0) : p.value.map(() => rng.normal());
      const out = f.forward(z0);
      const J = numericalJacobian((z) => interpret([out.z], { z0: z })[0], zPoint);
      const [per] = interpret([out.logDetPerVariable], { z0: zPoint });
      const [perm] = interpret([f.align(input('v', [1, D]))], { v: [0, 1, 2, 3] });
      for (let j = 0; j < D; j++) {
        const src = J[j].findIndex((v) => Math.abs(v) > 1e-9);
        expect(J[j].filter((v) => Math.abs(v) > 1e-9)).toHaveLength(1);
        expect(perm[j]).toBe(src); // align maps z_0's variable π(j) to position j
        expect(per[j]).toBeCloseTo(Math.log(J[j][src]), 6);
      }
    }
  });

  it('inverse(forward(z_0)) = z_0, with and without the context h', () => {
    const n = 5;
    const zs = input('zs', [n, D]);
    const vals = Array.from(new Random(12).fillNormal(new Float64Array(n * D)));
    const [back] = interpret([flow.inverse(flow.forward(zs).z)], { zs: vals });
    back.forEach((v, i) => expect(v).toBeCloseTo(vals[i], 8));
    const s2 = new ParameterStore(6);
    const ctxFlow = new IAF(s2, 'flow', D, 3, [8], 'relu', 2);
    for (const p of s2.all()) p.value = p.value.map((v) => v * 3);
    const h = input('h', [n, 2]);
    const hv = Array.from(new Random(13).fillNormal(new Float64Array(n * 2)));
    const [back2] = interpret([ctxFlow.inverse(ctxFlow.forward(zs, h).z, h)], { zs: vals, h: hv });
    back2.forEach((v, i) => expect(v).toBeCloseTo(vals[i], 8));
  });
});
