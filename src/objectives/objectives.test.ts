import { describe, expect, it } from 'vitest';
import { grad } from '../engine/grad.js';
import { constant, input, param } from '../engine/ops.js';
import { checkGradient } from '../engine/testing/finiteDifference.js';
import type { Tensor } from '../engine/tensor.js';
import { interpret } from '../engine/reference.js';
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
const vae = (extra: object = {}): LatentVariableModel => createModel({ dataShape: [D], hidden: [5], latent: 4, ...extra }, { seed: 3 });

describe('objectives', () => {
  it('ELBO = reconstruction − closed-form KL and β / capacity weight it as documented', () => {
    const s = setup(vae(), 2);
    const t = s.terms();
    const e = elboObjective(t);
    const b = betaObjective(t, inputs.beta);
    const c = capacityObjective(t, 10, inputs.capacity);
    const [rec, kl, elbo, bl, cl, ll, klpl] = interpret(
      [e.reconstruction, e.kl, e.elbo, b.loss, c.loss, t.logLikelihood, t.klPerLatent!],
      s.feeds,
    );
    expect(rec[0]).toBeCloseTo(ll.reduce((a, v) => a + v, 0) / ll.length, 10);
    expect(kl[0]).toBeCloseTo(klpl.reduce((a, v) => a + v, 0) / B, 10);
    expect(elbo[0]).toBeCloseTo(rec[0] - kl[0], 10);
    expect(bl[0]).toBeCloseTo(-(rec[0] - 0.5 * kl[0]), 10);
    expect(cl[0]).toBeCloseTo(-(rec[0] - 10 * Math.abs(kl[0] - 2)), 10);
  });

  it('IWAE on a linear-Gaussian model: L_K = log p(x) for every K when q is the exact posterior, else L_1 < L_5 < L_50 < log p(x)', () => {
    // p(z) = N(0, 1), p(x|z) = N(wz + b, s²): log p(x) = log N(x; b, w² + s²); the posterior is
    // N(w(x − b)/(w² + s²), s²/(w² + s²)) (Bishop 2006, §2.3.3).
    const m = createModel({ dataShape: [1], hidden: [], latent: 1, decoder: 'gaussian-scalar', activation: 'linear' }, { seed: 1 });
    const [w, b, s2] = [1.5, 0.3, 0.4];
    const set = (name: string, v: number[]): void => void m.store.get(name).value.set(v);
    set('decoder.0.weight', [w]);
    set('decoder.0.bias', [b]);
    set('decoder.logVar', [Math.log(s2)]);
    const exact = (): void => {
      set('encoder.0.weight', [w / (w * w + s2), 0]);
      set('encoder.0.bias', [(-w * b) / (w * w + s2), Math.log(s2 / (w * w + s2))]);
    };
    const xs = [-1, 0.2, 2.5];
    const logPx = xs.map((xv) => -0.5 * (Math.log(2 * Math.PI * (w * w + s2)) + (xv - b) ** 2 / (w * w + s2)));
    const truth = logPx.reduce((a, v) => a + v, 0) / xs.length;
    const x = input('x', [3, 1]);
    const bound = (k: number, seed: number): number => {
      const specs = m.noise(3, k);
      const out = iwaeObjective(m.terms(x, noiseInputs(specs), k)).elbo;
      return interpret([out], { x: xs, ...noiseFeeds(specs, new Random(seed)) })[0][0];
    };
    exact();
    for (const k of [1, 5]) expect(bound(k, 7 + k)).toBeCloseTo(truth, 6); // parameters are stored in float32
    // A worse q: the bound is strictly below log p(x) and tightens with K (averaged over draws).
    set('encoder.0.bias', [0.5, Math.log(2)]);
    const avg = (k: number): number => Array.from({ length: 200 }, (_, i) => bound(k, 1000 * k + i)).reduce((a, v) => a + v, 0) / 200;
    const [l1, l5, l50] = [avg(1), avg(5), avg(50)];
    expect(l1).toBeLessThan(l5);
    expect(l5).toBeLessThan(l50);
    expect(l50).toBeLessThan(truth);
    expect(truth - l50).toBeLessThan((truth - l1) / 5);
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
      for (let i = 0; i < draws; i++) total += interpret([out], { ...s.feeds, ...noiseFeeds(specs, rng) })[0][0];
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
    const [elbo, klpl] = interpret([e.elbo, e.klPerLatent!], s.feeds);
    const groups = [klpl[0] + klpl[1], klpl[2] + klpl[3]];
    const low = Math.min(...groups) / 2;
    const [lowLoss] = interpret([freeBitsObjective(t, low, 2).loss], s.feeds);
    expect(lowLoss[0]).toBeCloseTo(-elbo[0], 10);
    const high = Math.max(...groups) + 1;
    const [rec, highLoss] = interpret([e.reconstruction, freeBitsObjective(t, high, 2).loss], s.feeds);
    expect(highLoss[0]).toBeCloseTo(-(rec[0] - 2 * high), 10);
    const mid = (groups[0] + groups[1]) / 2;
    const [midLoss] = interpret([freeBitsObjective(t, mid, 2).loss], s.feeds);
    expect(midLoss[0]).toBeCloseTo(-(rec[0] - groups.reduce((a, g) => a + Math.max(mid, g), 0)), 10);
    expect(() => freeBitsObjective(t, 1, 3)).toThrow(/groups must divide the 4 KL parts/);
    const mog = setup(vae({ prior: 'mog' }), 1);
    expect(() => freeBitsObjective(mog.terms(), 1, 2)).toThrow(/does not factorise .* use 1 group/);
    // One group: max(λ, total Monte Carlo KL), for any prior.
    const mt = mog.terms();
    const me = elboObjective(mt);
    const [mrec, mkl] = interpret([me.reconstruction, me.kl], mog.feeds);
    const [m1] = interpret([freeBitsObjective(mt, mkl[0] + 3, 1).loss], mog.feeds);
    expect(m1[0]).toBeCloseTo(-(mrec[0] - (mkl[0] + 3)), 10);
  });

  for (const [label, extra, parts] of [
    ['IAF (per latent of z_T)', { flowSteps: 2, flowHidden: [6], flowContext: 3 }, 4],
    ['hvae (per layer)', { kind: 'hvae', hidden2: [3], latent1: 3 }, 2],
  ] as const) {
    it(`free bits without a closed form: Monte Carlo KL per group, ${label}`, () => {
      const s = setup(vae(extra), 2);
      const t = s.terms();
      expect(t.klPerLatent).toBeNull();
      const e = elboObjective(t);
      const [rec, kl, lq, lp, pr] = interpret([e.reconstruction, e.kl, t.logPosterior, t.logPrior, t.logRatioParts!], s.feeds);
      expect(t.logRatioParts!.shape).toEqual([2, B, parts]);
      // The parts add up to log q − log p sample by sample.
      lq.forEach((v, i) => expect(pr.slice(i * parts, (i + 1) * parts).reduce((a, c) => a + c, 0)).toBeCloseTo(v - lp[i], 8));
      // Two groups: KL_j = mean over samples and batch of the group's parts.
      const half = parts / 2;
      const g = [0, 1].map((j) => {
        let acc = 0;
        for (let i = 0; i < lq.length; i++) for (let c = 0; c < half; c++) acc += pr[i * parts + j * half + c];
        return acc / lq.length;
      });
      expect(g[0] + g[1]).toBeCloseTo(kl[0], 8);
      const lambda = (g[0] + g[1]) / 2;
      const [loss] = interpret([freeBitsObjective(t, lambda, 2).loss], s.feeds);
      expect(loss[0]).toBeCloseTo(-(rec[0] - Math.max(lambda, g[0]) - Math.max(lambda, g[1])), 8);
      expect(Math.abs(g[0] - g[1])).toBeGreaterThan(1e-3); // so that λ clamps one group and not the other
    });
  }

  for (const [label, extra] of [
    ['VAE (closed-form KL)', {}],
    ['IAF (Monte Carlo KL per group)', { flowSteps: 1, flowHidden: [4], flowContext: 2 }],
  ] as const) {
    it(`free-bits gradient matches finite differences on a model with KL: ${label}`, () => {
      const model = vae(extra);
      const rng = new Random(9);
      const specs = model.noise(B, 1);
      const feeds = noiseFeeds(specs, rng);
      const noise = Object.fromEntries(specs.map((sp) => [sp.name, constant(feeds[sp.name], sp.shape)]));
      const x = constant(dataFeed(B * D, rng), [B, D]);
      const t = model.terms(x, noise, 1);
      // λ between the two group KLs: one group clamped (no KL gradient), one not.
      const parts = t.klPerLatent ? interpret([t.klPerLatent], {})[0] : interpret([t.logRatioParts!], {})[0];
      const groupKl = [0, 1].map((j) => Array.from(parts).reduce((a, v, i) => a + (i % 4 < 2 === (j === 0) ? v : 0), 0) / B);
      const lambda = (groupKl[0] + groupKl[1]) / 2;
      const loss = freeBitsObjective(t, lambda, 2).loss;
      const leaves = new Map(model.store.all().map((p) => [param(p) as Tensor, Float64Array.from(p.value)]));
      const r = checkGradient(loss, leaves, { eps: 1e-6, rtol: 1e-4, atol: 1e-6 });
      expect(r.ok, r.message).toBe(true);
    });
  }

  it('the autoencoder has no KL under every objective', () => {
    const ae = createModel({ kind: 'ae', dataShape: [D], hidden: [5], latent: 2 }, { seed: 1 });
    const s = setup(ae, 1);
    for (const kind of OBJECTIVE_KINDS.filter((k) => k !== 'free-bits')) {
      const out = buildObjective(ae, s.x, s.noise, { kind }, inputs);
      const [kl, rec, loss] = interpret([out.kl, out.reconstruction, out.loss], s.feeds);
      expect(kl[0]).toBe(0);
      if (kind !== 'capacity') expect(loss[0]).toBeCloseTo(-rec[0], 12);
    }
  });

  it('every objective on every model kind has finite gradients for all parameters', () => {
    for (const kind of ['vae', 'iwae', 'hvae', 'ae'] as const) {
      const model = createModel(
        {
          kind,
          dataShape: [D],
          hidden: [5],
          hidden2: [3],
          latent1: 3,
          latent: 2,
          prior: kind === 'ae' ? 'standard' : 'mog',
          components: 2,
        },
        { seed: 2 },
      );
      const s = setup(model, 2);
      for (const objective of OBJECTIVE_KINDS) {
        const out = buildObjective(model, s.x, s.noise, { kind: objective, k: 2 }, inputs);
        const params = model.store.all();
        const grads = grad(
          out.loss,
          params.map((p) => param(p)),
        );
        const values = interpret(grads, s.feeds);
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
