/**
 * The disentanglement scores of a finished sweep run trained on data with ground-truth factors
 * (dSprites): the β-VAE score, FactorVAE score, MIG and DCI of its posterior means
 * (eval/disentanglement), kept in the run directory as `disentanglement.json`, so that a sweep over β
 * can draw seed 004's β against disentanglement. Runs on other data keep `null` there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreDspritesModel } from '../eval/disentanglement/scoreModel.js';
import type { DisentanglementScores } from '../eval/disentanglement/score.js';
import { loadRun } from '../train/experiment.js';

/** What a sweep keeps of the scores (accuracies and scores in [0, 1]). */
export interface DisentanglementRow {
  readonly betaVae: number | null;
  readonly factorVae: number | null;
  readonly mig: number | null;
  readonly dciDisentanglement: number | null;
  /** Training points of the β-VAE and FactorVAE scores, codes of MIG and DCI. */
  readonly points: number;
  readonly seconds: number;
}

/**
 * Points per score a sweep uses (a fifth of disentanglement_lib's 10,000: the four metrics then take
 * about a minute on 2 cores; `vaelab eval --disentanglement` gives the full-size numbers).
 */
export const SWEEP_POINTS = 2000;

const file = (dir: string): string => join(dir, 'disentanglement.json');

/** The row kept from full scores. */
export function disentanglementRow(s: DisentanglementScores, points: number): DisentanglementRow {
  return {
    betaVae: s.betaVaeScore?.evalAccuracy ?? null,
    factorVae: s.factorVaeScore?.evalAccuracy ?? null,
    mig: s.mig,
    dciDisentanglement: s.dci?.disentanglement ?? null,
    points,
    seconds: Object.values(s.seconds).reduce((a, b) => a + b, 0),
  };
}

/** Scores the run in `dir` when it was trained on dSprites and writes disentanglement.json (null otherwise). */
export async function measureDisentanglement(
  dir: string,
  opts: { points?: number; threads?: number } = {},
): Promise<DisentanglementRow | null> {
  const { config, model } = await loadRun(dir);
  if (config.train.dataset !== 'dsprites') {
    writeFileSync(file(dir), 'null\n');
    return null;
  }
  const points = opts.points ?? SWEEP_POINTS;
  const scores = await scoreDspritesModel(model, config.train.dataset, {
    points,
    codes: points,
    seed: config.train.seed,
    threads: opts.threads ?? config.train.threads,
  });
  const row = disentanglementRow(scores, points);
  writeFileSync(file(dir), JSON.stringify(row, null, 2) + '\n');
  return row;
}

/** The scores measured for the run in `dir`, or null (not measured, or not applicable). */
export function readDisentanglement(dir: string): DisentanglementRow | null {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), 'utf8')) as DisentanglementRow | null) : null;
}

/** Whether {@link measureDisentanglement} has run for the run in `dir`. */
export const disentanglementMeasured = (dir: string): boolean => existsSync(file(dir));
