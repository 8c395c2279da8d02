/**
 * Sweeps: many runs from one spec, on this machine (a process pool) or on many (a BullMQ queue on
 * Redis), and the sweep's table and cross-run figures. A dashboard lists sweeps with
 * {@link listSweeps} and shows one with {@link sweepView} (rows plus Vega-Lite specs) or links the
 * page {@link writeSweepReport} writes.
 */
export { readSweepSpec, parseSweepSpec, expandSweep, FLAG_NAMES, type SweepSpec, type SweepPlan, type PlannedRun } from './spec.js';
export { sweepDir, sweepRunDir, writePlan, readPlan } from './layout.js';
export { runSweepJob, type SweepJob, type JobOutcome, type JobOptions } from './job.js';
export { runLocalPool, poolSize, type PoolOptions, type PoolResult } from './pool.js';
export { enqueueSweep, startWorker, queueStatus, checkRedis, QUEUE_NAME, type WorkerOptions, type WorkerHandle } from './queue.js';
export { localStatus, mergeQueueStatus, formatStatus, type RunStatus, type RunState } from './status.js';
export { listSweeps, sweepView, sweepRows, sweepTable, type SweepListing, type SweepView, type SweepRow } from './view.js';
export { sweepCharts, type SweepChart } from './figures.js';
export { measureDisentanglement, readDisentanglement, SWEEP_POINTS, type DisentanglementRow } from './disentanglement.js';
export { writeSweepReport } from './page.js';
