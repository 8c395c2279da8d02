/** The text and JSON forms of an evaluation. */
import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { makeDataset } from '../data/dataset.js';
import { createModel } from '../models/registry.js';
import { evaluateFull } from './fullEvaluation.js';
import { evaluationJson, evaluationLines } from './printEvaluation.js';

describe('evaluation output', () => {
  it('prints −ELBO ± SE, NLL ± SE, active units per layer, the variance law and the surgery row beside seed 002', async () => {
    const rng = new Random(1);
    const data = makeDataset({
      name: 'bits',
      shape: [10],
      n: 80,
      range: 'binary',
      data: Uint8Array.from({ length: 800 }, () => (rng.uniform() < 0.4 ? 1 : 0)),
    });
    const model = createModel({ kind: 'vae', dataShape: [10], hidden: [8], latent: 2 }, { seed: 3 });
    const r = await evaluateFull(model, data, data, { k: 10, threads: 1 });
    const lines = evaluationLines(r);
    expect(lines[0]).toMatch(new RegExp(`^test −ELBO ${(-r.elbo).toFixed(2)} ± ${r.elboSe.toFixed(2)} nats .* on 80 examples$`));
    expect(lines[1]).toMatch(new RegExp(`^test NLL ${r.nll!.toFixed(2)} ± ${r.nllSe!.toFixed(2)} nats \\(K = 10\\)$`));
    expect(lines).toContain(`active units ${r.activeUnits} of 2 (z; Var_x E_q[z|x] > 0.01)`);
    expect(lines.some((l) => l.startsWith('z: E μ² + E σ²') && l.endsWith('the variance law)'))).toBe(true);
    expect(lines.some((l) => l.startsWith('seed 002, 20D latents') && l.includes('-87.45'))).toBe(true);
    expect(lines.some((l) => l.startsWith('this run (d = 2, N = 80)') && l.includes(r.surgery!.mutualInformation.toFixed(2)))).toBe(true);
    const j = evaluationJson(r);
    expect(j.elboSe).toBe(r.elboSe);
    expect(j.activeUnitsPerLayer).toEqual([r.activeUnits]);
    expect((j.surgery as { logN: number }).logN).toBeCloseTo(Math.log(80), 12);
  });
});
