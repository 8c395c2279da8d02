/**
 * Engine benchmark: the standard MLP VAE training step (Bernoulli decoder, 784-512-512 ReLU encoder to
 * 32 latents and the mirror decoder, batch 128, Adam) in vaelab and in PyTorch, 1 thread then 2,
 * run one after the other in the same process slot. Prints ms/step, peak memory and the ratios.
 *
 *   npx tsx bench/engine.ts [steps]
 *
 * Target (issue 2): vaelab's step at most 0.67 of PyTorch's at the same thread count, memory no higher.
 * The PyTorch peer needs Debian's python3-torch and libopenblas0-pthread.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const steps = Number(process.argv[2] ?? 300);
const here = fileURLToPath(new URL('.', import.meta.url));

interface Result {
  engine: string;
  threads: number;
  msPerStep: number;
  peakRssMiB: number;
}

function runVaelab(threads: number): Result {
  const out = execFileSync('npx', ['tsx', `${here}engine-vaelab.ts`, String(threads), String(steps)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Result;
}

function runTorch(threads: number): Result | null {
  const r = spawnSync('/usr/bin/python3', [`${here}engine-torch.py`, String(threads), String(steps)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`PyTorch peer failed (install python3-torch and libopenblas0-pthread):\n${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
}

const rows: string[] = [];
for (const threads of [1, 2]) {
  const v = runVaelab(threads);
  const t = runTorch(threads);
  const ratio = t ? (v.msPerStep / t.msPerStep).toFixed(2) : 'n/a';
  const mem = t ? (v.peakRssMiB / t.peakRssMiB).toFixed(2) : 'n/a';
  rows.push(
    `threads=${threads}  vaelab ${v.msPerStep.toFixed(2)} ms/step (${v.peakRssMiB.toFixed(0)} MiB)  ` +
      `pytorch ${t ? t.msPerStep.toFixed(2) : '-'} ms/step (${t ? t.peakRssMiB.toFixed(0) : '-'} MiB)  ` +
      `time ratio ${ratio} (target <= 0.67)  memory ratio ${mem} (target <= 1)`,
  );
  console.log(rows.at(-1));
}
