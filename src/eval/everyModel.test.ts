/**
 * Every model gets the whole evaluation: NLL by importance sampling (with its standard error) and the
 * per-layer diagnostics, for the VAE, the IAF posterior, the hierarchical VAE and the MoG / VampPrior
 * priors. The models are untrained; the checks are those that hold for any parameters.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { makeDataset } from '../data/dataset.js';
import { createModel } from '../models/registry.js';
import { Evaluator } from './evaluate.js';
import { evaluateFull } from './fullEvaluation.js';

const D = 12;
const rng = new Random(9);
const data = makeDataset({
  name: 'bits',
  shape: [D],
  n: 60,
  range: 'binary',
  data: Uint8Array.from({ length: 60 * D }, () => (rng.uniform() < 0.3 ? 1 : 0)),
});

const configs = {
  vae: { kind: 'vae', latent: 3 },
  iaf: { kind: 'vae', latent: 3, flowSteps: 2, flowHidden: [8] },
  hvae: { kind: 'hvae', latent1: 4, latent: 2, hidden2: [6] },
  mog: { kind: 'vae', latent: 3, prior: 'mog', components: 3 },
  vampprior: { kind: 'vae', latent: 3, prior: 'vampprior', components: 3 },
} as const;

describe.each(Object.entries(configs))('evaluation of %s', (name, cfg) => {
  it('NLL with K = 200 lies below −ELBO within the errors, and the diagnostics cover every layer', async () => {
    const model = createModel({ dataShape: [D], hidden: [8], ...cfg } as never, { seed: 2 });
    const r = await new Evaluator(model, { k: 200, nllBatch: 20, samples: 8, threads: 1, seed: 4 }).evaluate(data);
    expect(Number.isFinite(r.nll)).toBe(true);
    expect(r.nllSe!).toBeGreaterThan(0);
    // log p(x) ≥ L_200 ≥ ELBO in expectation (seed 002): the NLL estimate is at most −ELBO, up to Monte Carlo error.
    expect(r.nll!).toBeLessThan(-r.elbo + 4 * Math.hypot(r.elboSe, r.nllSe!));
    expect(r.layers!.map((l) => l.name)).toEqual(name === 'hvae' ? ['z1', 'z2'] : ['z']);
    expect(r.activeUnitsPerLayer!.length).toBe(r.layers!.length);
    expect(r.varianceLaw!.standardPrior).toBe(name !== 'mog' && name !== 'vampprior');
    for (const l of r.layers!) for (const v of l.varianceLaw.meanSigma2) expect(v).toBeGreaterThan(0);
  });
});

describe('ELBO surgery for every prior', () => {
  it.each(['standard', 'mog', 'vampprior'] as const)(
    'prior %s: avg KL = MI + marginal KL, 0 ≤ MI ≤ log N (up to Monte Carlo error)',
    async (prior) => {
      const model = createModel({ kind: 'vae', dataShape: [D], hidden: [8], latent: 3, prior, components: 3 } as never, { seed: 2 });
      const r = await evaluateFull(model, data, data, { threads: 1, seed: 1, pca: true });
      const s = r.surgery!;
      expect(s.n).toBe(60);
      expect(s.avgKl).toBeCloseTo(s.mutualInformation + s.marginalKl, 8);
      expect(s.mutualInformation).toBeLessThanOrEqual(s.logN);
      expect(s.mutualInformation).toBeGreaterThan(-4 * s.marginalKlSe);
      expect(r.pca!.latent).toBe(3);
      expect(r.pca!.ppcaLogLikelihood).toBeNull(); // binary data: no density comparison
    },
  );
});
