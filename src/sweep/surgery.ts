/**
 * The ELBO-surgery terms of a finished sweep run (seed 002's table: average KL = mutual information
 * + marginal KL), measured on its test examples and kept in the run directory as `surgery.json`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { surgeryOf, type SurgeryRow } from '../eval/fullEvaluation.js';
import { loadRun } from '../train/experiment.js';
import { evaluationInputs } from '../train/seeds.js';

/** Examples the terms are measured on at most (the estimate costs n² · d). */
const MAX_N = 2000;

const file = (dir: string): string => join(dir, 'surgery.json');

/**
 * Measures the terms of the run in `dir` on its first min(eval n, 2000) test examples and writes
 * surgery.json; null (surgery.json holds null) where they do not apply: no test set, a posterior that
 * is not one Gaussian (AE, hierarchical, IAF), or a prior other than N(0, I).
 */
export async function measureSurgery(dir: string, threads?: number): Promise<SurgeryRow | null> {
  const { config, data, model } = await loadRun(dir);
  const gaussian =
    (config.model.kind === 'vae' || config.model.kind === 'iwae') && !((config.model as { flowSteps?: number }).flowSteps ?? 0);
  if (!data.test || model.deterministic || !gaussian || config.model.prior !== 'standard') {
    writeFileSync(file(dir), 'null\n');
    return null;
  }
  const inputs = evaluationInputs({ config, data }, Math.min(config.eval.n ?? MAX_N, MAX_N, data.test.n));
  const terms = await surgeryOf(model, inputs, { seed: config.train.seed, threads: threads ?? config.train.threads });
  writeFileSync(file(dir), JSON.stringify(terms, null, 2) + '\n');
  return terms;
}

/** The terms measured for the run in `dir`, or null (not measured, or not applicable). */
export function readSurgery(dir: string): SurgeryRow | null {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), 'utf8')) as SurgeryRow | null) : null;
}

/** Whether {@link measureSurgery} has run for the run in `dir`. */
export const surgeryMeasured = (dir: string): boolean => existsSync(file(dir));
