/**
 * PixelCNN decoder benchmark (issue 15): the gated PixelCNN training step in vaelab and in PyTorch
 * (masked weights), 1 thread then 2, one after the other. Prints ms/step and the ratio.
 *
 *   npx tsx bench/pixelcnn.ts [steps]
 *
 * Target: vaelab's step at most 0.67 of PyTorch's at the same thread count.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const steps = String(Number(process.argv[2] ?? 100));
const here = fileURLToPath(new URL('.', import.meta.url));
const last = (out: string): { msPerStep: number; peakRssMiB: number } =>
  JSON.parse(out.trim().split('\n').at(-1)!) as { msPerStep: number; peakRssMiB: number };

console.log('gated PixelCNN train step: 3 blocks, k = 5, 16 channels, batch 32, 28×28 binarized MNIST, Adam');
for (const threads of ['1', '2']) {
  const v = last(
    execFileSync('npx', ['tsx', `${here}pixelcnn-vaelab.ts`, threads, steps], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const t = last(execFileSync('/usr/bin/python3', [`${here}pixelcnn-torch.py`, threads, steps], { encoding: 'utf8' }));
  console.log(
    `threads=${threads}  vaelab ${v.msPerStep.toFixed(1)} ms/step  pytorch ${t.msPerStep.toFixed(1)} ms/step  ratio ${(v.msPerStep / t.msPerStep).toFixed(2)} (target <= 0.67)`,
  );
}
