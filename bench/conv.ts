/**
 * Conv β-VAE step benchmark: the `beta-vae-dsprites` step (4 conv + 3 dense encoder, mirrored decoder
 * with transposed convolutions, batch 64, Adam) in vaelab and in PyTorch with the same layers, at 1
 * and 2 threads, alternating runs in the same process slot; prints ms/step and the ratios, and the
 * time vaelab takes to render one batch of 64 dSprites images (the data side of a training step).
 *
 *   npx tsx bench/conv.ts [steps] [rounds]
 *
 * Target (issue 12): vaelab's step at most 0.67 of PyTorch's at the same thread count. PyTorch runs
 * with OPENBLAS_NUM_THREADS = its thread count (otherwise Debian's openblas-pthread adds its own threads).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const steps = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 2);
const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'vaelab-conv-bench-'));
const images = join(tmp, 'dsprites.u8');

interface Result {
  engine: string;
  threads: number;
  msPerStep: number;
  renderMsPerBatch?: number;
  peakRssMiB: number;
}

function runVaelab(threads: number, stepsPerRun: number): Result {
  const out = execFileSync('npx', ['tsx', `${here}conv-vaelab.ts`, String(threads), String(steps), String(stepsPerRun), images], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Result;
}

function runTorch(threads: number): Result | null {
  const r = spawnSync('/usr/bin/python3', [`${here}conv-torch.py`, String(threads), String(steps), images], {
    encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
  });
  if (r.status !== 0) {
    console.error(`PyTorch peer failed (install python3-torch and libopenblas0-pthread):\n${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
}

const best = (runs: (Result | null)[]): Result | null => {
  const ok = runs.filter((r): r is Result => r !== null);
  return ok.length ? ok.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a)) : null;
};
const fmt = (r: Result | null) => (r ? `${r.msPerStep.toFixed(1)} ms/step (${r.peakRssMiB.toFixed(0)} MiB)` : '-');

console.log(`conv β-VAE step (beta-vae-dsprites), B=64, Adam; best of ${rounds} alternating runs of ${steps} steps`);
try {
  for (const threads of [1, 2]) {
    const runs: { single: Result[]; looped: Result[]; torch: (Result | null)[] } = { single: [], looped: [], torch: [] };
    for (let r = 0; r < rounds; r++) {
      runs.single.push(runVaelab(threads, 1));
      runs.looped.push(runVaelab(threads, 8));
      runs.torch.push(runTorch(threads));
    }
    const t = best(runs.torch);
    for (const [label, v] of [['vaelab, 1 step per run ', best(runs.single)!], ['vaelab, 8 steps per run', best(runs.looped)!]] as const) {
      console.log(`threads=${threads}  ${label}  ${fmt(v)}  pytorch ${fmt(t)}  time ratio ${t ? (v.msPerStep / t.msPerStep).toFixed(2) : 'n/a'} (target <= 0.67)`);
    }
    console.log(`threads=${threads}  rendering one batch of 64 dSprites images: ${best(runs.single)!.renderMsPerBatch!.toFixed(2)} ms`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
