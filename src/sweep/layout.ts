/**
 * A sweep's folder under the runs directory: `sweep.json` (the expanded list of runs), `runs/<run>/`
 * (one ordinary run directory each) and `report/` (the sweep's table and cross-run figures).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../models/config.js';
import type { SweepPlan } from './spec.js';

/** The folder of sweep `name` under `runsDir`. */
export const sweepDir = (runsDir: string, name: string): string => join(runsDir, name);

/** The run directory of run `run` of sweep `sweep` under `runsDir`. */
export const sweepRunDir = (runsDir: string, sweep: string, run: string): string => join(runsDir, sweep, 'runs', run);

/** Writes `<runsDir>/<sweep>/sweep.json`, the expanded list of runs (rewritten when the spec changes). */
export function writePlan(runsDir: string, plan: SweepPlan): string {
  const dir = sweepDir(runsDir, plan.name);
  mkdirSync(join(dir, 'runs'), { recursive: true });
  const path = join(dir, 'sweep.json');
  writeFileSync(path, JSON.stringify(plan, null, 2) + '\n');
  return path;
}

/** Reads the expanded list of runs of the sweep in `dir`. */
export function readPlan(dir: string): SweepPlan {
  const path = join(dir, 'sweep.json');
  if (!existsSync(path)) throw new ConfigError(`${dir} is not a sweep folder: ${path} is missing`);
  return JSON.parse(readFileSync(path, 'utf8')) as SweepPlan;
}

/** The sweeps under `runsDir` (folders with a sweep.json), by name. */
export function listSweepDirs(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, 'sweep.json')))
    .map((d) => d.name)
    .sort();
}
