import { describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { elboObjective } from '../objectives/elbo.js';
import { m2LabelledLoss } from '../objectives/m2.js';
import { DECODERS } from './config.js';
import type { M2 } from './m2.js';
import { createModel } from './registry.js';
import { dataFeed, Random } from './testing.js';

const B = 3;
const C = 4;
const D = 6;
const d = 2;
const tiny = (decoder: (typeof DECODERS)[number] = 'bernoulli', architecture: 'mlp' | 'gated' = 'mlp'): M2 =>
  createModel({ kind: 'm2', decoder, architecture, classes: C, dataShape: [D], hidden: [5], latent: d }, { seed: 3 }) as M2;

const oneHot = (labels: number[]): Float64Array => {
  const v = new Float64Array(labels.length * C);
  labels.forEach((c, b) => (v[b * C + c] = 1));
  return v;
};

describe('M2 (Kingma et al. 2014)', () => {
  it('unlabelled loss = mean_b [Σ_y q(y|x)(−L(x, y)) − H(q(y|x))], enumerated by hand class by class', () => {
    const m = tiny();
    const rng = new Random(5);
    const xv = dataFeed(B * D, rng);
    const epsAll = rng.fillNormal(new Float64Array(C * B * d)); // [1, C·B, d]: row c·B + b is (x_b, y = c)
    const x = input('x', [B, D]);
    const eps = input('eps', [1, C * B, d]);
    const [loss] = interpret([elboObjective(m.terms(x, { eps }, 1)).loss], { x: xv, eps: epsAll });

    const logQy = interpret([m.classLogProbs(x)], { x: xv })[0]; // [B, C]
    const y = input('y', [B, C]);
    const epsC = input('epsC', [1, B, d]);
    const t = m.labelledTerms(x, y, epsC);
    let total = 0;
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        const feeds = { x: xv, y: oneHot([c, c, c]), epsC: epsAll.subarray(c * B * d, (c + 1) * B * d) };
        const [ll, lp, lq] = interpret([t.logLikelihood, t.logPrior, t.logPosterior], feeds);
        const elbo = ll[b] + lp[b] - lq[b]; // one-sample L(x_b, c)
        const q = Math.exp(logQy[b * C + c]);
        total += q * -elbo + q * logQy[b * C + c];
      }
    }
    expect(loss[0]).toBeCloseTo(total / B, 9);
  });

  it('labelled loss = −L(x, y) + w · (−log q(y|x)), with L = log p(x|y,z) + log N(z; 0, I) + log(1/C) − log q(z|x,y)', () => {
    const m = tiny();
    const rng = new Random(6);
    const xv = dataFeed(B * D, rng);
    const labels = [2, 0, 3];
    const feeds = { x: xv, y: oneHot(labels), eps: rng.fillNormal(new Float64Array(B * d)) };
    const x = input('x', [B, D]);
    const y = input('y', [B, C]);
    const eps = input('eps', [1, B, d]);
    const t = m.labelledTerms(x, y, eps);
    const q = m.encoder(input('xy', [B, D + C]));
    const w = 7.5;
    const out = m2LabelledLoss(m, { x, y, eps }, w);
    const [loss, elbo, ce, ll, lp, lq, logits] = interpret(
      [out.loss, out.elbo, out.classification, t.logLikelihood, t.logPrior, t.logPosterior, m.classifier(x)],
      feeds,
    );
    const xy = new Float64Array(B * (D + C));
    for (let b = 0; b < B; b++) {
      xy.set(xv.subarray(b * D, (b + 1) * D), b * (D + C));
      xy[b * (D + C) + D + labels[b]] = 1;
    }
    const [mu, logVar] = interpret([q.mu, q.logVar], { xy });
    let sumL = 0;
    let sumCe = 0;
    for (let b = 0; b < B; b++) {
      let logPz = 0;
      for (let j = 0; j < d; j++) {
        const z = mu[b * d + j] + Math.exp(0.5 * logVar[b * d + j]) * feeds.eps[b * d + j];
        logPz += -0.5 * Math.log(2 * Math.PI) - 0.5 * z * z;
      }
      expect(lp[b]).toBeCloseTo(logPz + Math.log(1 / C), 9);
      sumL += ll[b] + lp[b] - lq[b];
      const row = Array.from(logits.subarray(b * C, (b + 1) * C));
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      sumCe += -(row[labels[b]] - lse);
    }
    expect(elbo[0]).toBeCloseTo(sumL / B, 9);
    expect(ce[0]).toBeCloseTo(sumCe / B, 9);
    expect(loss[0]).toBeCloseTo(-sumL / B + w * (sumCe / B), 9);
  });

  for (const decoder of DECODERS) {
    for (const architecture of ['mlp', 'gated'] as const) {
      it(`${decoder} / ${architecture}: terms have the contract's shapes and are finite; decodeMean cycles classes`, () => {
        const m = tiny(decoder, architecture);
        const x = input('x', [B, D]);
        const specs = m.noise(B, 2);
        const eps = input('eps', specs[0].shape);
        const t = m.terms(x, { eps }, 2);
        for (const v of [t.logLikelihood, t.logPrior, t.logPosterior]) expect(v.shape).toEqual([2, B]);
        expect(t.posteriorMean.shape).toEqual([B, d]);
        const z = input('z', [C, d]);
        expect(m.decodeMean(z).shape).toEqual([C, D]);
        const rng = new Random(2);
        const vals = interpret([t.logLikelihood, t.logPrior, t.logPosterior], {
          x: dataFeed(B * D, rng),
          eps: rng.fillNormal(new Float64Array(2 * C * B * d)),
        });
        vals.forEach((v) => v.forEach((e) => expect(Number.isFinite(e)).toBe(true)));
      });
    }
  }

  it('rejects a conv architecture, another prior or a flow', () => {
    expect(() => createModel({ kind: 'm2', architecture: 'conv', dataShape: [1, 8, 8] })).toThrow(
      /'m2' takes architecture 'mlp' or 'gated'/,
    );
    expect(() => createModel({ kind: 'm2', prior: 'mog', dataShape: [4] })).toThrow(/prior 'standard'/);
  });
});
