/**
 * Known answers of the four disentanglement metrics: the ground-truth factors score (about) 100 %,
 * noise scores at chance, a rotation of the factors lowers MIG, and small fixed examples whose values
 * are derived by hand from the published formulas (the derivations are in the comments).
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { DSPRITES_FACTORS, DSPRITES_SIZES } from '../../data/dsprites.js';
import type { FactorSpace } from './factors.js';
import { betaVaePoints, betaVaeRecall, betaVaeScore } from './betaVae.js';
import { factorVaeScore, majorityVote } from './factorVae.js';
import { discretizeColumn, discreteEntropy, migFromCodes, migScore } from './mig.js';
import { dciFromImportance, dciScore } from './dci.js';
import { groundTruthRepresentation, linearRepresentation, noiseRepresentation, randomRotation } from './representations.js';

const dsprites: FactorSpace = { names: DSPRITES_FACTORS, sizes: DSPRITES_FACTORS.map((f) => DSPRITES_SIZES[f]) };
const truth = groundTruthRepresentation(dsprites);
const noise = () => noiseRepresentation(10, 7);

describe('β-VAE score (Higgins et al. 2017)', () => {
  it("z_diff is zero exactly in the fixed factor's column for the ground truth", async () => {
    const p = await betaVaePoints(dsprites, truth, 50, new Random(1), { batch: 64 });
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 5; k++) {
        const f = p.features[i * 5 + k];
        if (k === p.labels[i]) expect(f).toBe(0);
        else expect(f).toBeGreaterThan(0);
      }
    }
  });
  it("ground truth scores 100 % at disentanglement_lib's default sizes", async () => {
    const s = await betaVaeScore(dsprites, truth);
    expect(s.trainAccuracy).toBeGreaterThan(0.995);
    expect(s.evalAccuracy).toBeGreaterThan(0.995);
    const diagonal = s.evalConfusion.reduce((t, row, k) => t + row[k], 0);
    expect(s.evalConfusion.flat().reduce((a, b) => a + b, 0)).toBe(5000);
    expect(diagonal).toBe(Math.round(s.evalAccuracy * 5000));
  });
  it('the confusion matrix shows the factors a representation cannot tell apart', async () => {
    // The ground truth without its last two factors (posX, posY): pairs fixing either look alike
    // (every kept column varies), so those two classes are confused with each other and only with each other.
    const keepFirstThree = Float64Array.from({ length: 15 }, (_, i) => (i % 6 === 0 ? 1 : 0)); // rows of I₅, first three
    const blind = linearRepresentation(dsprites, keepFirstThree, 3, 'truth without posX, posY');
    const s = await betaVaeScore(dsprites, blind, { train: 2000, eval: 2000 });
    const c = s.evalConfusion;
    const recall = betaVaeRecall(c);
    for (let k = 0; k < 3; k++) expect(recall[k]).toBeGreaterThan(0.99);
    for (const k of [3, 4]) {
      const row = c[k].reduce((a, b) => a + b, 0);
      expect((c[k][3] + c[k][4]) / row).toBeGreaterThan(0.99);
      expect(recall[k]).toBeLessThan(0.8);
    }
    expect(s.evalAccuracy).toBeGreaterThan(0.7);
    expect(s.evalAccuracy).toBeLessThan(0.9);
  });
  it('noise scores at chance (1/K = 20 %)', async () => {
    const s = await betaVaeScore(dsprites, noise(), { train: 2000, eval: 5000 });
    expect(Math.abs(s.evalAccuracy - 0.2)).toBeLessThan(0.03);
  });
});

describe('FactorVAE score (Kim & Mnih 2018)', () => {
  it('majority vote by hand: votes [[3,0,1],[1,4,0]] give classifier [0,1,0] and accuracy (3+4+1)/9', () => {
    const r = majorityVote([
      [3, 0, 1],
      [1, 4, 0],
    ]);
    expect(r.classifier).toEqual([0, 1, 0]);
    expect(r.accuracy).toBeCloseTo(8 / 9, 12);
  });
  it('ground truth scores 100 %, all five latents active', async () => {
    const s = await factorVaeScore(dsprites, truth);
    expect(s.activeDims).toBe(5);
    expect(s.trainAccuracy).toBe(1);
    expect(s.evalAccuracy).toBe(1);
  });
  it('noise scores at chance (about 1/K)', async () => {
    const s = await factorVaeScore(dsprites, noise(), { train: 5000, eval: 5000 });
    expect(Math.abs(s.evalAccuracy - 0.2)).toBeLessThan(0.04);
  });
  it('collapsed latents are dropped', async () => {
    const halfDead = linearRepresentation(dsprites, Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.001, 0, 0, 0]), 3);
    expect((await factorVaeScore(dsprites, halfDead, { train: 200, eval: 100 })).activeDims).toBe(1);
  });
});

describe('MIG (Chen et al. 2018)', () => {
  it('a fixed example computed by hand', () => {
    // z₀ = [0,1,2,3], z₁ = [0,0,1,0]; 2 bins over [min, max] give z₀ → [0,0,1,1], z₁ → [0,0,1,0].
    // v₀ = [0,0,1,1], v₁ = [0,1,0,1]. I(z₀;v₀) = H(v₀) = log 2, I(z₀;v₁) = 0,
    // I(z₁;v₀) = I(z₁;v₁) = ½ log(4/3) + ¼ log 2 + ¼ log(2/3) =: a (from the 2×2 counts {2,1,1,0}).
    // Gaps: v₀ (log 2 − a)/log 2, v₁ (a − 0)/log 2, so MIG = ½ exactly.
    const codes = [0, 0, 1, 0, 2, 1, 3, 0];
    const factors = [0, 0, 0, 1, 1, 0, 1, 1];
    expect(Array.from(discretizeColumn(codes, 4, 2, 0, 2))).toEqual([0, 0, 1, 1]);
    expect(Array.from(discretizeColumn(codes, 4, 2, 1, 2))).toEqual([0, 0, 1, 0]);
    const r = migFromCodes(codes, factors, 4, 2, 2, 2);
    const a = 0.5 * Math.log(4 / 3) + 0.25 * Math.log(2) + 0.25 * Math.log(2 / 3);
    expect(r.mi[0][0]).toBeCloseTo(Math.log(2), 12);
    expect(r.mi[0][1]).toBeCloseTo(0, 12);
    expect(r.mi[1][0]).toBeCloseTo(a, 12);
    expect(r.mi[1][1]).toBeCloseTo(a, 12);
    expect(r.entropy[0]).toBeCloseTo(Math.log(2), 12);
    expect(r.perFactor[0]).toBeCloseTo(1 - a / Math.log(2), 12);
    expect(r.mig).toBeCloseTo(0.5, 12);
  });
  it('ground truth scores ≈ 1 when 20 bins resolve every factor', async () => {
    const small: FactorSpace = { names: ['a', 'b', 'c', 'd'], sizes: [3, 6, 10, 20] };
    expect((await migScore(small, groundTruthRepresentation(small))).mig).toBeGreaterThan(0.98);
  });
  it('on dSprites the ground truth scores H(bin(v))/H(v) per factor: 20 bins cannot resolve 40 orientations or 32 positions', async () => {
    // Under the uniform grid, I(bin(v); v) = H(bin(v)); the bins of v ∈ {0..m−1} follow the edge rule of discretizeColumn.
    const expected = dsprites.sizes.map((m) => {
      const values = Float64Array.from({ length: m }, (_, i) => i);
      return discreteEntropy(discretizeColumn(values, m, 1, 0, 20), m) / Math.log(m);
    });
    expect(expected[0]).toBeCloseTo(1, 12);
    expect(expected[2]).toBeCloseTo(Math.log(20) / Math.log(40), 12);
    const r = await migScore(dsprites, truth);
    r.perFactor.forEach((g, k) => expect(Math.abs(g - expected[k])).toBeLessThan(0.03));
  });
  it('a random rotation of the factors scores lower', async () => {
    const small: FactorSpace = { names: ['a', 'b', 'c', 'd'], sizes: [3, 6, 10, 20] };
    const rotated = linearRepresentation(small, randomRotation(4, new Random(3)), 4, 'rotated');
    const r = await migScore(small, rotated);
    expect(r.mig).toBeLessThan(0.5);
  });
  it('noise scores ≈ 0', async () => {
    expect((await migScore(dsprites, noise())).mig).toBeLessThan(0.02);
  });
});

describe('DCI (Eastwood & Williams 2018)', () => {
  it('D and C of a fixed importance matrix computed by hand', () => {
    // R = [[1,0],[1,1],[0,0]]: row sums 1, 2, 0 (total 3). D_0 = 1 − H_2(1,0) = 1, D_1 = 1 − H_2(½,½) = 0,
    // row 2 weighs 0: D = ⅓. Columns: (1,1,0) → C_0 = 1 − log 2/log 3, weight ⅔; (0,1,0) → C_1 = 1, weight ⅓.
    const r = dciFromImportance([
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(r.disentanglement).toBeCloseTo(1 / 3, 8);
    expect(r.completeness).toBeCloseTo((2 / 3) * (1 - Math.log(2) / Math.log(3)) + 1 / 3, 8);
  });
  it('ground truth scores D = C = 1 and informativeness ≈ 1', async () => {
    const r = await dciScore(dsprites, truth);
    expect(r.disentanglement).toBeGreaterThan(0.999);
    expect(r.completeness).toBeGreaterThan(0.999);
    expect(r.informativeness).toBeGreaterThan(0.99);
  });
  it('a rotation keeps informativeness and loses disentanglement; noise is uninformative', async () => {
    const rotated = linearRepresentation(dsprites, randomRotation(5, new Random(4)), 5, 'rotated');
    const r = await dciScore(dsprites, rotated);
    expect(r.informativeness).toBeGreaterThan(0.99);
    expect(r.disentanglement).toBeLessThan(0.7);
    const n = await dciScore(dsprites, noise());
    expect(n.informativeness).toBeLessThan(0.01);
  });
});
