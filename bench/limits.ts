/**
 * Issue 18's table in one run: each workload in vaelab, in PyTorch and as its GEMM-only floor (the same
 * matrix products alone in onnxruntime, bench/floor-vaelab.ts), the three interleaved round after round
 * so that load from other work on the machine falls on all of them alike; prints the medians and the
 * ratios vaelab / floor (target: <= 1.3 for the step, <= 2 for the NLL) and vaelab / PyTorch, in time and in
 * peak resident memory of the process (target: vaelab <= PyTorch).
 *
 *   npx tsx bench/limits.ts [ROUNDS=3] [STEPS=200] [NLL_N=1000]     (NLL_N = 0 skips the NLL row)
 *
 * Rows: the MLP VAE step 784-512-512-32, B = 128, Adam (fused; the trainer's 8 batches per call), at 1 and 2 threads;
 * the NLL estimate with K = 1000 on NLL_N test images of an IWAE-paper MLP VAE (784-200-200-50 tanh,
 * weights after a few hundred training steps: the time does not depend on them), 1 thread.
 * PyTorch is Debian's python3-torch, with OPENBLAS_NUM_THREADS and torch.set_num_threads = the row's threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJson, torchEnv, type StepTiming } from './compare.js';

const rounds = Number(process.argv[2] ?? 3);
const steps = Number(process.argv[3] ?? 200);
const nllN = Number(process.argv[4] ?? 1000);
const nllK = 1000;
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const tsx = (script: string, ...args: (string | number)[]) => runJson('npx', ['tsx', join(here, script), ...args.map(String)]);

/** One row of the table: how to time each of its three sides (ms per step, or s for the NLL). */
interface Row {
  label: string;
  unit: 'ms' | 's';
  vaelab: () => StepTiming | null;
  torch: () => StepTiming | null;
  floor: () => StepTiming | null;
  /** vaelab / floor at most this (the goal). */
  target: number;
}

const stepRow = (threads: number): Row => ({
  label: `MLP VAE step 784-512-512-32, B = 128, Adam, ${threads} thread${threads > 1 ? 's' : ''}`,
  unit: 'ms',
  vaelab: () => tsx('engine-vaelab.ts', threads, steps, 8),
  torch: () => runJson('/usr/bin/python3', [join(here, 'engine-torch.py'), String(threads), String(steps)], torchEnv(threads)),
  floor: () => tsx('floor-vaelab.ts', 'step', threads, steps),
  target: 1.3,
});

const tmp = mkdtempSync(join(tmpdir(), 'vaelab-limits-'));
const rows: Row[] = [stepRow(1), stepRow(2)];
if (nllN > 0) {
  // A short training run gives the NLL row its model (timing does not depend on the weights).
  const run = join(tmp, 'run');
  const out = join(tmp, 'nll');
  const trained = spawnSync(
    'node',
    [
      join(root, 'bin/vaelab.js'),
      'train',
      '--preset',
      'iwae-mnist',
      '--model',
      'vae',
      '--objective',
      'elbo',
      '--k',
      '1',
      '--max-steps',
      '200',
      '--threads',
      '1',
      '--no-eval',
      '--no-report',
      '--quiet',
      '--out',
      run,
    ],
    { encoding: 'utf8' },
  );
  if (trained.status !== 0 || !existsSync(run)) throw new Error(`limits: training the NLL model failed:\n${trained.stderr}`);
  const seconds = (r: StepTiming | null): StepTiming | null => (r ? { ...r, msPerStep: Number(r.seconds) } : null);
  rows.push({
    label: `NLL, K = ${nllK}, ${nllN} test images, IWAE-paper MLP, 1 thread`,
    unit: 's',
    vaelab: () => seconds(tsx('nll-vaelab.ts', run, nllK, nllN, 1, out)),
    torch: () => seconds(runJson('/usr/bin/python3', [join(here, 'nll-torch.py'), out], torchEnv(1))),
    floor: () => seconds(tsx('floor-vaelab.ts', 'nll', 1, 30, nllK, nllN)),
    target: 2,
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  console.log(
    `issue 18 table: medians of ${rounds} interleaved rounds; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const sides = ['vaelab', 'torch', 'floor'] as const;
  const times = rows.map(() => ({ vaelab: [] as number[], torch: [] as number[], floor: [] as number[] }));
  const memory = rows.map(() => ({ vaelab: [] as number[], torch: [] as number[], floor: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    rows.forEach((row, i) => {
      for (const side of sides) {
        const t = row[side]();
        if (t) {
          times[i][side].push(t.msPerStep);
          memory[i][side].push(t.peakRssMiB);
        }
      }
    });
  }
  console.log('| work | vaelab | PyTorch | GEMM-only floor | vaelab / floor | vaelab / PyTorch | peak RSS vaelab / PyTorch |');
  console.log('|---|---|---|---|---|---|---|');
  const medianOf = (xs: number[]) => (xs.length ? median(xs) : NaN);
  rows.forEach((row, i) => {
    const [v, t, f] = sides.map((s) => medianOf(times[i][s]));
    const [mv, mt] = [medianOf(memory[i].vaelab), medianOf(memory[i].torch)];
    const fmt = (x: number) => (Number.isNaN(x) ? '-' : `${x.toFixed(2)} ${row.unit}`);
    console.log(
      `| ${row.label} | ${fmt(v)} | ${fmt(t)} | ${fmt(f)} | ${(v / f).toFixed(2)} (target <= ${row.target}) | ${(v / t).toFixed(2)} | ` +
        `${mv.toFixed(0)} / ${mt.toFixed(0)} MiB = ${(mv / mt).toFixed(2)} |`,
    );
  });
  console.log(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
