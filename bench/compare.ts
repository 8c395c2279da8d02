/**
 * The part every vaelab-vs-PyTorch step benchmark shares: run each side as a child process that
 * prints one JSON line, alternate the runs, keep each side's best, print the ratios.
 */
import { spawnSync } from 'node:child_process';

/** What a benchmark child prints. */
export interface StepTiming {
  engine: string;
  threads: number;
  msPerStep: number;
  peakRssMiB: number;
  [extra: string]: unknown;
}

/** Runs `cmd args` and parses its last stdout line; null (with stderr printed) when it fails. */
export function runJson(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): StepTiming | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.status !== 0) {
    console.error(
      `${cmd} ${args.join(' ')} failed${cmd.includes('python') ? ' (install python3-torch and libopenblas0-pthread)' : ''}:\n${r.stderr}`,
    );
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as StepTiming;
}

/**
 * The environment of a PyTorch peer at `threads` threads: Debian's openblas-pthread starts its own
 * thread pool, one thread per core, unless OPENBLAS_NUM_THREADS says otherwise.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
}

/** The run with the lowest median of several runs: other work on the machine only ever slows a run down. */
export function best(runs: readonly (StepTiming | null)[]): StepTiming | null {
  const ok = runs.filter((r): r is StepTiming => r !== null);
  return ok.length ? ok.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a)) : null;
}

/** How to run one benchmark's two sides. */
export interface Comparison {
  readonly rounds: number;
  /** vaelab at `threads` with `stepsPerRun` steps per onnxruntime run. */
  readonly vaelab: (threads: number, stepsPerRun: number) => StepTiming | null;
  readonly torch: (threads: number) => StepTiming | null;
  /** Decimals of the ms/step figures. */
  readonly digits?: number;
}

/**
 * Alternates vaelab (1 and 8 steps per run) and PyTorch `rounds` times at 1 and 2 threads and prints
 * each best with the time and memory ratios (target: time ratio <= 0.67). Returns the best runs.
 */
export function compareWithTorch(
  c: Comparison,
): Array<{ threads: number; single: StepTiming | null; looped: StepTiming | null; torch: StepTiming | null }> {
  const fmt = (r: StepTiming | null) => (r ? `${r.msPerStep.toFixed(c.digits ?? 2)} ms/step (${r.peakRssMiB.toFixed(0)} MiB)` : '-');
  const ratio = (a: StepTiming, b: StepTiming | null, key: 'msPerStep' | 'peakRssMiB') => (b ? (a[key] / b[key]).toFixed(2) : 'n/a');
  const results = [];
  for (const threads of [1, 2]) {
    const runs = { single: [] as (StepTiming | null)[], looped: [] as (StepTiming | null)[], torch: [] as (StepTiming | null)[] };
    for (let r = 0; r < c.rounds; r++) {
      runs.single.push(c.vaelab(threads, 1));
      runs.looped.push(c.vaelab(threads, 8));
      runs.torch.push(c.torch(threads));
    }
    const t = best(runs.torch);
    const single = best(runs.single);
    const looped = best(runs.looped);
    for (const [label, v] of [
      ['vaelab, 1 step per run ', single],
      ['vaelab, 8 steps per run', looped],
    ] as const) {
      if (!v) continue;
      console.log(
        `threads=${threads}  ${label}  ${fmt(v)}  pytorch ${fmt(t)}  time ratio ${ratio(v, t, 'msPerStep')} (target <= 0.67)  memory ratio ${ratio(v, t, 'peakRssMiB')}`,
      );
    }
    results.push({ threads, single, looped, torch: t });
  }
  return results;
}
