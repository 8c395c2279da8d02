/**
 * A sweep's results as data: one row per run (the flags that differ between runs, its state and
 * its summary's numbers), the list of sweeps under a runs directory, and {@link sweepView}, what a
 * dashboard shows for one sweep (rows plus the cross-run figures' Vega-Lite specs).
 */
import { join } from 'node:path';
import type { RunSummary } from '../train/experiment.js';
import { sweepCharts, type SweepChart } from './figures.js';
import type { SurgeryRow } from '../eval/fullEvaluation.js';
import { listSweepDirs, readPlan, sweepDir, sweepRunDir } from './layout.js';
import { readDisentanglement, type DisentanglementRow } from './disentanglement.js';
import { readSurgery } from './surgery.js';
import type { SweepPlan } from './spec.js';
import { localStatus, type RunState } from './status.js';

/** One run of a sweep as its table and figures show it. */
export interface SweepRow {
  readonly run: string;
  /** The values of the flags that vary across the sweep (`SweepPlan.varied`). */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly state: RunState;
  readonly steps: number;
  readonly summary: RunSummary | null;
  /** The ELBO-surgery terms (seed 002), where measured. */
  readonly surgery: SurgeryRow | null;
  /** The disentanglement scores (seed 004), where measured (runs on dSprites). */
  readonly disentanglement?: DisentanglementRow | null;
}

/** The rows of the sweep `plan` under `runsDir`, in plan order. */
export function sweepRows(plan: SweepPlan, runsDir: string): SweepRow[] {
  const status = localStatus(plan, runsDir);
  return plan.runs.map((r, i) => ({
    run: r.name,
    flags: Object.fromEntries(plan.varied.map((k) => [k, (r.flags as Record<string, unknown>)[k]])),
    state: status[i].state,
    steps: status[i].step,
    summary: status[i].summary,
    surgery: readSurgery(sweepRunDir(runsDir, plan.name, r.name)),
    disentanglement: readDisentanglement(sweepRunDir(runsDir, plan.name, r.name)),
  }));
}

/** A sweep in a listing. */
export interface SweepListing {
  readonly name: string;
  readonly description?: string;
  readonly dir: string;
  readonly runs: number;
  readonly done: number;
  /** The sweep page, relative to `dir` (written by `writeSweepReport`). */
  readonly report: string;
  /** Why the sweep cannot be read (a sweep.json that does not parse); its counts are then 0. */
  readonly problem?: string;
}

/**
 * The sweeps under `runsDir` (folders holding a sweep.json), with how many of their runs are done; a
 * sweep whose sweep.json cannot be read is listed with the problem named.
 */
export function listSweeps(runsDir: string): SweepListing[] {
  return listSweepDirs(runsDir).map((name) => {
    const dir = sweepDir(runsDir, name);
    const report = join('report', 'index.html');
    try {
      const plan = readPlan(dir);
      const done = localStatus(plan, runsDir).filter((s) => s.state === 'done').length;
      return { name, description: plan.description, dir, runs: plan.runs.length, done, report };
    } catch (e) {
      return { name, dir, runs: 0, done: 0, report, problem: `sweep.json cannot be read: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}

/** What a dashboard shows for one sweep. */
export interface SweepView {
  readonly plan: SweepPlan;
  readonly rows: readonly SweepRow[];
  /** The cross-run figures that the varied flags allow, as Vega-Lite specs with their data inline. */
  readonly charts: readonly SweepChart[];
}

/** The view of sweep `name` under `runsDir`. */
export function sweepView(runsDir: string, name: string): SweepView {
  const plan = readPlan(sweepDir(runsDir, name));
  const rows = sweepRows(plan, runsDir);
  return { plan, rows, charts: sweepCharts(plan.varied, rows) };
}

const fmt = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));
const show = (v: unknown): string => (Array.isArray(v) ? v.join(',') : v === undefined ? '-' : String(v));

/**
 * The columns of the sweep's table: the varied flags, then the results (with the disentanglement
 * scores when a run has them).
 */
export function sweepTable(varied: readonly string[], rows: readonly SweepRow[]): string[][] {
  const scored = rows.some((r) => r.disentanglement);
  const head = [
    ...varied,
    'state',
    'steps',
    'test ELBO',
    'reconstruction',
    'KL',
    'NLL',
    'K',
    'active units',
    'mutual info',
    'marginal KL',
    ...(scored ? ['β-VAE score', 'FactorVAE score', 'MIG', 'DCI disentanglement'] : []),
  ];
  const body = rows.map((r) => {
    const s = r.summary;
    const d = r.disentanglement;
    return [
      ...varied.map((k) => show(r.flags[k])),
      r.state,
      String(r.steps),
      fmt(s?.testElbo),
      fmt(s?.testReconstruction),
      fmt(s?.testKl),
      fmt(s?.testNll),
      s?.nllK ? String(s.nllK) : '-',
      s?.activeUnits === null || s?.activeUnits === undefined ? '-' : String(s.activeUnits),
      fmt(r.surgery?.mutualInformation),
      fmt(r.surgery?.marginalKl),
      ...(scored ? [fmt(d?.betaVae, 3), fmt(d?.factorVae, 3), fmt(d?.mig, 3), fmt(d?.dciDisentanglement, 3)] : []),
    ];
  });
  return [head, ...body];
}

/** The table as aligned plain-text lines (the CLI's output): the first `left` columns left-aligned, numbers right. */
export function formatTable(table: readonly string[][], left: number): string[] {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table.map((row) =>
    row
      .map((cell, c) => (c < left ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}
