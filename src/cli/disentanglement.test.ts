import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './testing.js';
import { createModel } from '../models/registry.js';
import { parseModelConfig } from '../models/config.js';
import { scoreDspritesModel } from '../eval/disentanglement/scoreModel.js';
import { UserError } from '../engine/errors.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-dis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runCli;

describe('vaelab eval --disentanglement', () => {
  it('adds betaVaeScore, factorVaeScore, mig and dci to the JSON of a dSprites run', async () => {
    const dir = join(root, 'ds');
    const t = await run(
      'train',
      '--dataset',
      'dsprites',
      '--test',
      '200',
      '--train-n',
      '256',
      '--batch',
      '64',
      '--max-steps',
      '4',
      '--latent',
      '3',
      '--hidden',
      '16',
      '--eval-k',
      '0',
      '--eval-n',
      '64',
      '--threads',
      '1',
      '--quiet',
      '--no-report',
      '--out',
      dir,
    );
    expect(t.code, t.err.join('\n')).toBe(0);
    const r = await run(
      'eval',
      dir,
      '--eval-k',
      '0',
      '--eval-n',
      '64',
      '--disentanglement',
      '--disentanglement-points',
      '40',
      '--threads',
      '1',
      '--json',
    );
    expect(r.code, r.err.join('\n')).toBe(0);
    const j = JSON.parse(r.out.at(-1)!);
    for (const v of [
      j.betaVaeScore.trainAccuracy,
      j.betaVaeScore.evalAccuracy,
      j.factorVaeScore.evalAccuracy,
      j.mig,
      j.dci.disentanglement,
      j.dci.completeness,
    ]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(typeof j.dci.informativeness).toBe('number');
    // Rows: the fixed factor of the 20 evaluation points; its diagonal is the eval accuracy.
    expect(j.disentanglementFactors).toEqual(['shape', 'scale', 'orientation', 'posX', 'posY']);
    const confusion = j.betaVaeScore.evalConfusion as number[][];
    expect(confusion.map((row) => row.length)).toEqual([5, 5, 5, 5, 5]);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(confusion.reduce((t, row, k) => t + row[k], 0)).toBe(Math.round(20 * j.betaVaeScore.evalAccuracy));
    const text = await run(
      'eval',
      dir,
      '--eval-k',
      '0',
      '--eval-n',
      '64',
      '--disentanglement',
      '--disentanglement-points',
      '20',
      '--threads',
      '1',
    );
    expect(text.out.join('\n')).toMatch(/β-VAE score .*%.*MIG \d\.\d{3}.*DCI disentanglement/);
    expect(text.out.join('\n')).toMatch(/by fixed factor \(eval\): shape \d+\.\d %, scale .*, posY \d+\.\d %/);
  });

  it('is a user error on data without ground-truth factors', async () => {
    const model = createModel(parseModelConfig({ latent: 2, hidden: [8], dataShape: [784] }), { seed: 1 });
    await expect(scoreDspritesModel(model, 'mnist')).rejects.toThrow(UserError);
    await expect(scoreDspritesModel(model, 'mnist')).rejects.toThrow(/ground-truth factors.*mnist/);
  });
});
