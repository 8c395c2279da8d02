/** ELBO surgery of IAF posteriors (through the flow's inverse) and of the HVAE's top layer, against known answers. */
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../data/dataset.js';
import { Random } from '../engine/random.js';
import type { HierarchicalVAE } from '../models/hvae.js';
import { createModel } from '../models/registry.js';
import type { VAE } from '../models/vae.js';
import { flowPosteriors, flowSurgery } from './flowSurgery.js';
import { fixInputs } from './fixedInputs.js';
import { surgeryOf } from './fullEvaluation.js';
import { termsGraph } from './graphs.js';
import { topLayerPosteriors } from './hierarchicalSurgery.js';
import { elboSurgery, mixtureSurgery, standardNormalLogPrior, type MixturePosteriors } from './surgery.js';

const D = 6;
const data = (n: number, same = false) => {
  const values = new Random(4).fillNormal(new Float32Array(n * D));
  if (same) for (let i = 1; i < n; i++) values.copyWithin(i * D, 0, D);
  return makeDataset({ name: 'toy', shape: [D], n, range: 'real', data: values });
};
const iafVae = (seed: number): VAE =>
  createModel(
    { kind: 'vae', decoder: 'gaussian', latent: 3, hidden: [8], dataShape: [D], flowSteps: 2, flowHidden: [6], flowContext: 2 },
    { seed },
  ) as VAE;

describe('ELBO surgery of an IAF posterior (Kingma et al. 2016)', () => {
  it('an IAF that does not read z (affine per example) gives the Gaussian surgery of N(f(μ), σ_T²)', async () => {
    const model = iafVae(1);
    for (const p of model.store.all()) if (/^flow\.\d+\.0\.weight$/.test(p.name)) p.value.fill(0); // m, σ read h only
    for (const p of model.store.all()) if (p.name.startsWith('encoder')) p.value = p.value.map((v) => v * 2); // spread the posteriors
    const n = 60;
    const src = data(n);
    const fp = await flowPosteriors(model, src, new Random(7), { batch: 20, threads: 1 });
    // The equivalent Gaussians: the model's posteriorMean f(μ) and its first-order log σ_T², exact for an affine map.
    const g = await termsGraph(model, n, 1, 1);
    const r = await g.run({ x: src.data as Float32Array, eps: new Float32Array(n * 3) });
    const gauss = await elboSurgery({
      name: 'z',
      n,
      d: 3,
      mean: r.mu,
      variance: r.logVar.map(Math.exp),
      sample: fp.sample,
      kl: null,
      gaussian: true,
    });
    const viaInverse = await flowSurgery(model, fp, standardNormalLogPrior(3), { pairs: 900, threads: 1 });
    expect(viaInverse.avgKl).toBeCloseTo(gauss.avgKl, 3);
    expect(viaInverse.marginalKl).toBeCloseTo(gauss.marginalKl, 3);
    expect(viaInverse.mutualInformation).toBeGreaterThan(0.5);
    expect(viaInverse.mutualInformation).toBeLessThanOrEqual(Math.log(n));
  });

  it('a general IAF on N copies of one input: q(z) = q(z|x), so log q(z_m) through the inverse equals the change of variables and MI = 0', async () => {
    const model = iafVae(2);
    for (const p of model.store.all()) if (p.name.startsWith('flow.')) p.value = p.value.map((v) => v * 3);
    const fp = await flowPosteriors(model, data(50, true), new Random(3), { batch: 25, threads: 1 });
    const s = await flowSurgery(model, fp, standardNormalLogPrior(3), { pairs: 500, threads: 1 });
    expect(Math.abs(s.mutualInformation)).toBeLessThan(1e-3);
    expect(s.avgKl).toBeGreaterThan(0);
    expect(s.posterior).toMatch(/inverse/);
  });
});

describe('ELBO surgery of mixture posteriors and the HVAE top layer', () => {
  it('mixtures of S Gaussians per example: the identity with every term against quadrature', async () => {
    // Two examples, q(z|x_n) = ½ N(a_n, v) + ½ N(b_n, v), each repeated (repeats change neither q(z) nor I[n; z]).
    const comps = [
      [-1.5, -0.2],
      [0.8, 2.1],
    ];
    const v = 0.3;
    const copies = 3000;
    const n = 2 * copies;
    const rng = new Random(5);
    const mean = new Float32Array(n * 2);
    const sample = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = comps[i % 2];
      mean.set(c, i * 2);
      sample[i] = c[rng.uniform() < 0.5 ? 0 : 1] + Math.sqrt(v) * rng.normal();
    }
    const post: MixturePosteriors = {
      n,
      d: 1,
      components: 2,
      mean,
      variance: new Float32Array(n * 2).fill(v),
      sample,
      kl: null,
      posterior: 'test',
    };
    const s = await mixtureSurgery(post, { chunk: 500 });
    const pdf = (z: number, m: number) => Math.exp(-0.5 * ((z - m) ** 2 / v + Math.log(2 * Math.PI * v)));
    const qn = (z: number, k: number) => 0.5 * (pdf(z, comps[k][0]) + pdf(z, comps[k][1]));
    const logp = (z: number) => -0.5 * (z * z + Math.log(2 * Math.PI));
    const integrate = (f: (z: number) => number) => {
      let t = 0;
      for (let z = -15 + 5e-4; z < 15; z += 1e-3) t += f(z);
      return t * 1e-3;
    };
    const avgKl =
      (integrate((z) => qn(z, 0) * (Math.log(qn(z, 0)) - logp(z))) + integrate((z) => qn(z, 1) * (Math.log(qn(z, 1)) - logp(z)))) / 2;
    const q = (z: number) => 0.5 * (qn(z, 0) + qn(z, 1));
    const marginal = integrate((z) => q(z) * (Math.log(q(z)) - logp(z)));
    expect(Math.abs(s.avgKl - avgKl)).toBeLessThan(0.05);
    expect(Math.abs(s.marginalKl - marginal)).toBeLessThan(4 * s.marginalKlSe);
    expect(s.mutualInformation).toBeLessThanOrEqual(Math.log(2) + 4 * s.marginalKlSe);
  });

  it('HVAE: q(z2|x) as the mixture of q(z2|z1_s), z1_s ~ q(z1|x), said in the record', async () => {
    const model = createModel(
      { kind: 'hvae', decoder: 'gaussian', latent: 2, latent1: 3, hidden: [8], hidden2: [5], dataShape: [D] },
      { seed: 3 },
    ) as HierarchicalVAE;
    const src = data(40);
    const post = await topLayerPosteriors(model, src, new Random(1), { components: 3, batch: 20, threads: 1 });
    expect(post.mean.length).toBe(40 * 3 * 2);
    // Components of one example differ (different z1 draws); the draw is one of q(z2|x)'s.
    expect(post.mean[0]).not.toBe(post.mean[2]);
    const row = await surgeryOf(model, fixInputs(src, 40, 'raw', 0), { threads: 1, batch: 20 });
    expect(row.posterior).toMatch(/E_\{q\(z1\|x\)\} q\(z2\|z1\)/);
    expect(row.mutualInformation).toBeLessThanOrEqual(Math.log(40));
    expect(row.avgKl).toBeCloseTo(row.mutualInformation + row.marginalKl, 8);
  });

  it.each(['mog', 'vampprior', 'af'] as const)(
    'HVAE and IAF with the %s prior: log p(z2) from the model (with the noise its density reads)',
    async (prior) => {
      const src = fixInputs(data(30), 30, 'raw', 0);
      const hvae = createModel(
        { kind: 'hvae', decoder: 'gaussian', latent: 2, latent1: 3, hidden: [8], hidden2: [5], dataShape: [D], prior, components: 3 },
        { seed: 3 },
      );
      const row = await surgeryOf(hvae, src, { threads: 1, batch: 10 });
      expect(Number.isFinite(row.marginalKl)).toBe(true);
      expect(row.mutualInformation).toBeLessThanOrEqual(Math.log(30));
      if (prior === 'vampprior') return; // the IAF takes a standard, MoG or AF prior
      const iaf = createModel(
        { kind: 'vae', decoder: 'gaussian', latent: 2, hidden: [8], dataShape: [D], prior, components: 3, flowSteps: 1, flowHidden: [4] },
        { seed: 3 },
      );
      const r2 = await surgeryOf(iaf, src, { threads: 1, batch: 10 });
      expect(Number.isFinite(r2.marginalKl)).toBe(true);
      expect(r2.mutualInformation).toBeLessThanOrEqual(Math.log(30));
    },
  );
});
