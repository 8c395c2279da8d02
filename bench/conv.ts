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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareWithTorch, runJson, torchEnv } from './compare.js';

const steps = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 2);
const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'vaelab-conv-bench-'));
const images = join(tmp, 'dsprites.u8');

console.log(`conv β-VAE step (beta-vae-dsprites), B=64, Adam; best of ${rounds} alternating runs of ${steps} steps`);
try {
  const results = compareWithTorch({
    rounds,
    digits: 1,
    vaelab: (threads, stepsPerRun) =>
      runJson('npx', ['tsx', `${here}conv-vaelab.ts`, String(threads), String(steps), String(stepsPerRun), images]),
    torch: (threads) => runJson('/usr/bin/python3', [`${here}conv-torch.py`, String(threads), String(steps), images], torchEnv(threads)),
  });
  for (const r of results)
    console.log(`threads=${r.threads}  rendering one batch of 64 dSprites images: ${Number(r.single?.renderMsPerBatch).toFixed(2)} ms`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
