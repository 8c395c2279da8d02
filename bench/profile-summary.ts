/**
 * Sums an onnxruntime profile (the chrome://tracing JSON written by a session compiled with `profile`)
 * by operator type: total µs, share of all node time, and node count per run, largest first.
 *
 *   npx tsx bench/profile-summary.ts PROFILE.json [RUNS]
 *
 * RUNS (default 1) divides the totals, so they read per run (per step for a one-step graph).
 */
import { readFileSync } from 'node:fs';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

const [file, runsArg = '1'] = process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts PROFILE.json [RUNS]');
const runs = Number(runsArg);
const events = JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[];
const byOp = new Map<string, { us: number; count: number }>();
let total = 0;
for (const e of events) {
  // Each node run gives a `<node>_kernel_time` event; the fence events around it are bookkeeping.
  if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || e.args?.op_name === undefined) continue;
  const entry = byOp.get(e.args.op_name) ?? { us: 0, count: 0 };
  entry.us += e.dur ?? 0;
  entry.count += 1;
  byOp.set(e.args.op_name, entry);
  total += e.dur ?? 0;
}
const runEvents = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
const runUs = runEvents.reduce((a, e) => a + (e.dur ?? 0), 0);
console.log(`node time ${(total / runs / 1000).toFixed(2)} ms per run; session runs ${(runUs / runs / 1000).toFixed(2)} ms per run`);
for (const [op, { us, count }] of [...byOp].sort((a, b) => b[1].us - a[1].us)) {
  console.log(
    `${op.padEnd(24)} ${(us / runs / 1000).toFixed(3).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${(count / runs).toFixed(0).padStart(5)} nodes`,
  );
}
