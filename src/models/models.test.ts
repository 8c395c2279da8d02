import { describe, expect, it } from 'vitest';
import { expand, input, reshape } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { DECODERS, parseModelConfig } from './config.js';
import { encode, priorSampleGraph, reconstruct } from './generate.js';
import { createModel } from './registry.js';
import { dataFeed, noiseFeeds, noiseInputs, Random } from './testing.js';
import type { VAE } from './vae.js';

describe('model matrix', () => {
  for (const kind of ['ae', 'vae', 'iwae', 'hvae'] as const) {
    for (const decoder of DECODERS) {
      for (const architecture of kind === 'hvae' ? (['mlp'] as const) : (['mlp', 'gated'] as const)) {
        it(`${kind} / ${decoder} / ${architecture}: terms have the contract's shapes and are finite`, () => {
          const m = createModel(
            { kind, decoder, architecture, dataShape: [6], hidden: [5], latent: 2, latent1: 3, hidden2: [3] },
            { seed: 1 },
          );
          const x = input('x', [3, 6]);
          const specs = m.noise(3, 2);
          const t = m.terms(x, noiseInputs(specs), 2);
          expect(t.logLikelihood.shape).toEqual([2, 3]);
          expect(t.logPrior.shape).toEqual([2, 3]);
          expect(t.logPosterior.shape).toEqual([2, 3]);
          expect(t.posteriorMean.shape).toEqual([3, m.latentSize]);
          const rng = new Random(2);
          const vals = interpret([t.logLikelihood, t.logPrior, t.logPosterior], { x: dataFeed(18, rng), ...noiseFeeds(specs, rng) });
          vals.forEach((v) => v.forEach((e) => expect(Number.isFinite(e)).toBe(true)));
        });
      }
    }
  }

  it('IAF posterior: log q(z_T|x) = log q(z_0|x) − Σ log σ', () => {
    const m = createModel({ dataShape: [6], hidden: [5], latent: 3, flowSteps: 2, flowHidden: [6] }, { seed: 4 }) as VAE;
    const x = input('x', [2, 6]);
    const eps = input('eps', [1, 2, 3]);
    const t = m.terms(x, { eps }, 1);
    const { q, h } = m.encodeWithContext(x);
    expect(h!.shape).toEqual([2, 32]);
    const z0 = q.sample(eps);
    const f = m.flow!.forward(z0, h!);
    const rng = new Random(1);
    const feeds = { x: dataFeed(12, rng), eps: rng.fillNormal(new Float64Array(6)) };
    const [lq, lq0, ld] = interpret([t.logPosterior, q.logProb(z0), f.logDet], feeds);
    lq.forEach((v, i) => expect(v).toBeCloseTo(lq0[i] - ld[i], 10));
    expect(t.klPerLatent).toBeNull();
  });

  it('IAF: encode, reconstruct and traversal read z_T = f(μ_0; h), what the decoder was trained on', () => {
    const m = createModel({ dataShape: [6], hidden: [5], latent: 3, flowSteps: 2, flowHidden: [6], flowContext: 4 }, { seed: 4 }) as VAE;
    for (const p of m.store.all()) if (p.name.startsWith('flow.')) p.value = p.value.map((v) => v * 3); // a flow far from identity
    const x = input('x', [2, 6]);
    const feeds = { x: dataFeed(12, new Random(5)) };
    const { q, h } = m.encodeWithContext(x);
    const zT = m.flow!.forward(expand(reshape(q.mu, [1, 2, 3]), [1, 2, 3]), h!).z;
    const [mu, rec, zTv, byHand, pre] = interpret(
      [encode(m, x).mu, reconstruct(m, x), zT, m.decodeMean(reshape(zT, [2, 3])), m.decodeMean(q.mu)],
      feeds,
    );
    mu.forEach((v, i) => expect(v).toBeCloseTo(zTv[i], 10));
    rec.forEach((v, i) => expect(v).toBeCloseTo(byHand[i], 10));
    // The statistics (active units, variance law) read f(μ_0) whatever the sampling noise.
    const specs = m.noise(2, 3);
    const [noisy] = interpret([m.terms(x, noiseInputs(specs), 3).posteriorMean], { ...feeds, ...noiseFeeds(specs, new Random(8)) });
    noisy.forEach((v, i) => expect(v).toBeCloseTo(zTv[i], 10));
    expect(Math.max(...rec.map((v, i) => Math.abs(v - pre[i])))).toBeGreaterThan(1e-3);
  });

  for (const [side, channels] of [
    [28, 1],
    [64, 1],
  ] as const) {
    it(`conv encoder/decoder for ${side}×${side} images round-trips shapes`, () => {
      const m = createModel(
        { architecture: 'conv', dataShape: [channels, side, side], hidden: [16], channels: [4, 4, 4, 4], latent: 3, decoder: 'gaussian' },
        { seed: 1 },
      );
      const x = input('x', [1, side * side]);
      const rec = reconstruct(m, x);
      expect(rec.shape).toEqual([1, side * side]);
      const [r] = interpret([rec], { x: dataFeed(side * side, new Random(3)) });
      expect(r.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('generation', () => {
  const m = createModel({ decoder: 'gaussian', dataShape: [4], hidden: [5], latent: 2, prior: 'mog', components: 3 }, { seed: 6 });
  it("prior sampling: z ~ p(z) and the decoder's μ_x(z), σ_x(z) at it", () => {
    const g = priorSampleGraph(m, 5);
    const feeds = noiseFeeds(g.noise, new Random(1));
    const [mean, det, std] = interpret([g.mean, m.decodeMean(g.z), g.std!], feeds);
    det.forEach((v, i) => expect(v).toBeCloseTo(mean[i], 12));
    expect(std.every((v) => v > 0)).toBe(true);
    expect(g.z.shape).toEqual([5, 2]);
  });

  it('encode gives μ(x), σ(x); the AE has σ = 0', () => {
    const x = input('x', [2, 4]);
    const { mu, sigma } = encode(m, x);
    const feeds = { x: dataFeed(8, new Random(2)) };
    const [muV, sV] = interpret([mu, sigma], feeds);
    const q = (m as VAE).encoder(x);
    const [mu2, lv] = interpret([q.mu, q.logVar], feeds);
    muV.forEach((v, i) => expect(v).toBeCloseTo(mu2[i], 12));
    sV.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(lv[i] / 2), 12));
    const ae = createModel({ kind: 'ae', dataShape: [4], hidden: [5], latent: 2 }, { seed: 1 });
    const [aeSigma] = interpret([encode(ae, x).sigma], feeds);
    expect([...aeSigma]).toEqual([0, 0, 0, 0]);
  });
});

describe('model config', () => {
  it('fills defaults and rejects bad fields by name', () => {
    const c = parseModelConfig({ dataShape: [784] });
    expect(c).toMatchObject({ kind: 'vae', decoder: 'bernoulli', prior: 'standard', latent: 32, k: 1 });
    expect(() => createModel({ dataShape: [784], decoder: 'poisson' })).toThrow(
      /decoder: unknown likelihood 'poisson' \(registered: bernoulli, .*registerLikelihood\(\)/,
    );
    expect(() => createModel({ dataShape: [784], prior: 'flat' })).toThrow(/prior: unknown prior 'flat'.*registerPrior\(\)/);
    expect(() => createModel({ dataShape: [784], encoderNetwork: 'resnet' })).toThrow(
      /encoderNetwork: unknown encoder network 'resnet'.*registerEncoderNetwork\(\)/,
    );
    expect(() => parseModelConfig({ dataShape: [784], latent: 0 })).toThrow(/latent: /);
    expect(() => parseModelConfig({})).toThrow(/dataShape/);
    expect(() => parseModelConfig({ dataShape: [784], architecture: 'conv' })).toThrow(
      /dataShape: architecture 'conv' expects an image shape/,
    );
    expect(() => parseModelConfig({ dataShape: [784], prior: 'vampprior', flowSteps: 2 })).toThrow(/flowSteps: expected 0/);
  });
});
