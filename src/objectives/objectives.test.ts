import { describe, expect, it } from 'vitest';
import { grad } from '../engine/grad.js';
import { input, param } from '../engine/ops.js';
import { evaluate } from '../engine/reference.js';
import { createModel } from '../models/registry.js';
import { dataFeed, noiseFeeds, noiseInputs, Random } from '../models/testing.js';
import type { LatentVariableModel, ModelTerms } from '../models/types.js';
import { betaObjective } from './beta.js';
import { capacityObjective } from './capacity.js';
import { buildObjective, OBJECTIVE_KINDS, objectiveInputsAt, parseObjectiveConfig } from './config.js';
import { elboObjective } from './elbo.js';
import { freeBitsObjective } from './freeBits.js';
import { iwaeObjective } from './iwae.js';
import { capacityAt, warmup } from './schedule.js';

const B = 3;
const D = 6;

function setup(model: LatentVariableModel, k: number, seed = 1) {
  const x = input('x', [B, D]);
  const specs = model.noise(B, k);
  const noise = noiseInputs(specs);
  const rng = new Random(seed);
  const feeds: Record<string, ArrayLike<number>> = { x: dataFeed(B * D, rng), ...noiseFeeds(specs, rng), beta: [0.5], capacity: [2] };
  return { x, noise, feeds, terms: (kk = k): ModelTerms => model.terms(x, noise, kk) };
}

const inputs = { beta: input('beta', []), capacity: input('capacity', []) };
const vae = (extra: object = {}): LatentVariableModel =>
  createModel({ dataShape: [D], hidden: [5], latent: 4, ...extra }, { seed: 3 });

describe('objectives', () => {
  it('ELBO = reconstruction − closed-form KL and β / capacity weight it as documented', () => {
    const s = setup(vae(), 2);
    const t = s.terms();
    const e = elboObjective(t);
    const b = betaObjective(t, inputs.beta);
    const c = capacityObjective(t, 10, inputs.capacity);
    const [rec, kl, elbo, bl, cl, ll, klpl] = evaluate([e.reconstruction, e.kl, e.elbo, b.loss, c.loss, t.logLikelihood, t.klPerLatent!], s.feeds);
    expect(rec[0]).toBeCloseTo(ll.reduce((a, v) => a + v, 0) / ll.length, 10);
    expect(kl[0]).toBeCloseTo(klpl.reduce((a, v) => a + v, 0) / B, 10);
    expect(elbo[0]).toBeCloseTo(rec[0] - kl[0], 10);
    expect(bl[0]).toBeCloseTo(-(rec[0] - 0.5 * kl[0]), 10);
    expect(cl[0]).toBeCloseTo(-(rec[0] - 10 * Math.abs(kl[0] - 2)), 10);
  });

  it('IWAE with K = 1 equals the ELBO with the same noise (Monte Carlo KL)', () => {
    const s = setup(vae({ prior: 'mog', components: 3 }), 1);
    const t = s.terms();
    const [a, b] = evaluate([iwaeObjective(t).elbo, elboObjective(t).elbo], s.feeds);
    expect(a[0]).toBeCloseTo(b[0], 10);
  });

  it('L_K is non-decreasing in K on average: L_1 <= L_5 <= L_50', () => {
    const model = vae();
    const draws = 60;
    const bound = (k: number): number => {
      const s = setup(model, k);
      const out = iwaeObjective(s.terms()).elbo;
      const specs = model.noise(B, k);
      let total = 0;
      const rng = new Random(100 + k);
      for (let i = 0; i < draws; i++) total += evaluate([out], { ...s.feeds, ...noiseFeeds(specs, rng) })[0][0];
      return total / draws;
    };
    const [l1, l5, l50] = [bound(1), bound(5), bound(50)];
    expect(l1).toBeLessThan(l5);
    expect(l5).toBeLessThan(l50);
  });

  it('free bits equals the ELBO when every group KL exceeds λ and clamps otherwise', () => {
    const s = setup(vae(), 1);
    const t = s.terms();
    const e = elboObjective(t);
    const [elbo, klpl] = evaluate([e.elbo, e.klPerLatent!], s.feeds);
    const groups = [klpl[0] + klpl[1], klpl[2] + klpl[3]];
    const low = Math.min(...groups) / 2;
    const [lowLoss] = evaluate([freeBitsObjective(t, low, 2).loss], s.feeds);
    expect(lowLoss[0]).toBeCloseTo(-elbo[0], 10);
    const high = Math.max(...groups) + 1;
    const [rec, highLoss] = evaluate([e.reconstruction, freeBitsObjective(t, high, 2).loss], s.feeds);
    expect(highLoss[0]).toBeCloseTo(-(rec[0] - 2 * high), 10);
    const mid = (groups[0] + groups[1]) / 2;
    const [midLoss] = evaluate([freeBitsObjective(t, mid, 2).loss], s.feeds);
    expect(midLoss[0]).toBeCloseTo(-(rec[0] - groups.reduce((a, g) => a + Math.max(mid, g), 0)), 10);
    expect(() => freeBitsObjective(t, 1, 3)).toThrow(/groups must divide the latent size 4/);
    const mog = setup(vae({ prior: 'mog' }), 1);
    expect(() => freeBitsObjective(mog.terms(), 1, 1)).toThrow(/closed form/);
  });

  it('the autoencoder has no KL under every objective', () => {
    const ae = createModel({ kind: 'ae', dataShape: [D], hidden: [5], latent: 2 }, { seed: 1 });
    const s = setup(ae, 1);
    for (const kind of OBJECTIVE_KINDS.filter((k) => k !== 'free-bits')) {
      const out = buildObjective(ae, s.x, s.noise, { kind }, inputs);
      const [kl, rec, loss] = evaluate([out.kl, out.reconstruction, out.loss], s.feeds);
      expect(kl[0]).toBe(0);
      if (kind !== 'capacity') expect(loss[0]).toBeCloseTo(-rec[0], 12);
    }
  });

  it('every objective on every model kind has finite gradients for all parameters', () => {
    for (const kind of ['vae', 'iwae', 'hvae', 'ae'] as const) {
      const model = createModel({ kind, dataShape: [D], hidden: [5], hidden2: [3], latent1: 3, latent: 2, prior: kind === 'ae' ? 'standard' : 'mog', components: 2 }, { seed: 2 });
      const s = setup(model, 2);
      for (const objective of OBJECTIVE_KINDS) {
        if (objective === 'free-bits' && kind !== 'ae') continue; // needs a closed-form KL (mog prior here)
        const out = buildObjective(model, s.x, s.noise, { kind: objective, k: 2 }, inputs);
        const params = model.store.all();
        const grads = grad(out.loss, params.map((p) => param(p)));
        const values = evaluate(grads, s.feeds);
        values.forEach((g) => g.forEach((v) => expect(Number.isFinite(v)).toBe(true)));
        expect(values.some((g) => g.some((v) => v !== 0))).toBe(true);
      }
    }
  });

  it('schedules: warm-up ramps β from 0 to 1, capacity ramps C to its max', () => {
    expect([0, 50, 100, 200].map((s) => warmup(s, 100))).toEqual([0, 0.5, 1, 1]);
    expect(warmup(5, 0)).toBe(1);
    expect(capacityAt(25, 20, 100)).toBe(5);
    const c = parseObjectiveConfig({ kind: 'warmup', beta: 2, warmupSteps: 10, capacity: { max: 8, steps: 4 } });
    expect(objectiveInputsAt(c, 5)).toEqual({ beta: 1, capacity: 8 });
  });

  it('config errors name the field and what was expected', () => {
    expect(() => parseObjectiveConfig({ kind: 'elb' })).toThrow(/kind: .*elbo/);
    expect(() => parseObjectiveConfig({ freeBits: { groups: 0 } })).toThrow(/freeBits\.groups/);
    expect(() => parseObjectiveConfig({ k: 1.5 })).toThrow(/k: /);
  });
});
