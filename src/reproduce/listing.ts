/** The reproductions written under a runs folder (for the dashboard and `vaelab reproduce --list`). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reproduction } from './runner.js';

/** A reproduction in a listing. */
export interface ReproductionListing {
  readonly experiment: string;
  readonly budget: string;
  /** The sweep folder's name under the runs folder. */
  readonly sweep: string;
  /** The report, relative to the runs folder. */
  readonly report: string;
  readonly within: number;
  readonly outside: number;
  readonly rows: number;
}

/** The reproductions under `runsDir`: sweep folders holding `reproduction/reproduction.json`. */
export function listReproductions(runsDir: string): ReproductionListing[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, 'reproduction', 'reproduction.json')))
    .map((d) => {
      const r = JSON.parse(readFileSync(join(runsDir, d.name, 'reproduction', 'reproduction.json'), 'utf8')) as Reproduction;
      return {
        experiment: r.experiment, budget: r.budget, sweep: d.name, report: join(d.name, 'reproduction', 'index.html'), rows: r.rows.length,
        within: r.rows.filter((x) => x.verdict === 'within' || x.verdict === 'holds').length,
        outside: r.rows.filter((x) => x.verdict === 'outside' || x.verdict === 'does not hold').length,
      };
    })
    .sort((a, b) => a.sweep.localeCompare(b.sweep));
}
