import { describe, expect, it } from 'vitest';
import { input } from '../../engine/ops.js';
import { interpret } from '../../engine/reference.js';
import { Random } from '../../engine/random.js';
import { createModel } from '../../models/registry.js';
import { DSPRITES_SPACE, modelRepresentation, renderFactorRows } from './dspritesRepresentations.js';
import { sampleFactors } from './factors.js';

describe('modelRepresentation', () => {
  it('encodes every row, the last partial batch included, as the posterior mean of its rendered image', async () => {
    const model = createModel({ kind: 'vae', dataShape: [1, 64, 64], latent: 3, hidden: [8] }, { seed: 1 });
    const n = 300; // 2 full batches of 128 and a partial one of 44: the double-buffered draw crosses both
    const factors = sampleFactors(DSPRITES_SPACE, n, new Random(4));
    const got = await (await modelRepresentation(model, { batch: 128, threads: 1 })).encode(factors, n);
    const x = input('x', [n, 4096]);
    const eps = input('eps', [1, n, 3]);
    const [mu] = interpret([model.terms(x, { eps }, 1).posteriorMean], {
      x: Float64Array.from(renderFactorRows(factors, n)),
      eps: new Float64Array(n * 3),
    });
    expect(got.length).toBe(n * 3);
    for (let i = 0; i < n * 3; i++) expect(got[i]).toBeCloseTo(mu[i], 4);
  });
});
