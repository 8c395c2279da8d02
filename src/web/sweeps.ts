/**
 * The dashboard's sweep endpoints: `/api/sweeps` lists the sweeps under the runs folder
 * ({@link listSweeps}), `/api/sweeps/NAME` is one sweep's view ({@link sweepView}: its plan, one row
 * per run, the cross-run figures as Vega-Lite specs) plus its table as text cells and each run's
 * id for `/api/runs/ID` (`SWEEP/runs/RUN`, a path of plain segments under the runs folder).
 */
import type { Hono } from 'hono';
import { listSweeps, sweepTable, sweepView, type SweepListing, type SweepView } from '../sweep/index.js';
import { isPlainSegment, resolveInside } from './paths.js';

/** A sweep in the dashboard's list (its folder left out: the page needs no server path). */
export type SweepSummary = Omit<SweepListing, 'dir'>;

/** What `/api/sweeps/NAME` returns. */
export interface SweepDetail extends SweepView {
  /** The sweep's table: header then one row of text cells per run (as `vaelab sweep --report` prints it). */
  readonly table: readonly string[][];
  /** Per row, the run's id under the runs folder, or null when its directory does not exist yet. */
  readonly runIds: ReadonlyArray<string | null>;
}

/** The run id (for `/api/runs/ID`) of run `run` of sweep `sweep`. */
export const sweepRunId = (sweep: string, run: string): string => `${sweep}/runs/${run}`;

/** Adds the sweep endpoints over runs folder `root` (a real path) to `app`. */
export function addSweepRoutes(app: Hono, root: string): void {
  app.get('/api/sweeps', (c) => {
    const sweeps: SweepSummary[] = listSweeps(root).map(({ dir: _dir, ...s }) => s);
    return c.json({ sweeps });
  });

  app.get('/api/sweeps/:sweep', (c) => {
    const name = c.req.param('sweep');
    if (!isPlainSegment(name) || !resolveInside(root, [name, 'sweep.json'], 'file')) return c.json({ error: 'sweep not found' }, 404);
    let view: SweepView;
    try {
      view = sweepView(root, name);
    } catch (e) {
      return c.json({ error: `sweep ${name}: sweep.json cannot be read (${e instanceof Error ? e.message : String(e)})` }, 422);
    }
    const detail: SweepDetail = {
      ...view,
      table: sweepTable(view.plan.varied, view.rows),
      runIds: view.rows.map((r) => (resolveInside(root, [name, 'runs', r.run], 'dir') ? sweepRunId(name, r.run) : null)),
    };
    return c.json(detail);
  });
}
