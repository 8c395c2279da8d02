/**
 * Engine benchmark: the standard MLP VAE training step (Bernoulli decoder, 784-512-512 ReLU encoder to
 * 32 latents and the mirror decoder, batch 128, Adam) in vaelab and in PyTorch, 1 thread then 2,
 * run one after the other in the same process slot. Prints ms/step, peak memory and the ratios.
 *
 *   npx tsx bench/engine.ts [steps] [rounds]
 *
 * Target (issue 2): vaelab's step at most 0.67 of PyTorch's at the same thread count, memory no higher.
 * The PyTorch peer needs Debian's python3-torch and libopenblas0-pthread; it runs with OPENBLAS_NUM_THREADS
 * = its thread count.
 */
import { fileURLToPath } from 'node:url';
import { compareWithTorch, runJson, torchEnv } from './compare.js';

const steps = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));

console.log(`MLP VAE train step, B=128, 784-512-512-32, Adam; best of ${rounds} alternating runs of ${steps} steps`);
compareWithTorch({
  rounds,
  vaelab: (threads, stepsPerRun) => runJson('npx', ['tsx', `${here}engine-vaelab.ts`, String(threads), String(steps), String(stepsPerRun)]),
  torch: (threads) => runJson('/usr/bin/python3', [`${here}engine-torch.py`, String(threads), String(steps)], torchEnv(threads)),
});
