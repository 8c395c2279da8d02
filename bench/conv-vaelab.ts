/**
 * vaelab side of bench/conv.ts: the conv β-VAE step of the `beta-vae-dsprites` preset (built by the
 * same createModel/buildObjective the trainer uses), batch 64, Adam lr 1e-4, on dSprites batches
 * rendered beforehand. Prints one JSON line {engine, threads, msPerStep (median after warm-up),
 * renderMsPerBatch (rendering 64 dSprites images, what the trainer does on the step's critical path),
 * peakRssMiB}. The images are also written to IMAGES_FILE (uint8) for the PyTorch peer.
 *
 *   npx tsx bench/conv-vaelab.ts THREADS STEPS [STEPS_PER_RUN] [IMAGES_FILE]
 *
 * With VAELAB_PROFILE=prefix set, onnxruntime's per-node profile is written to prefix_<time>.json.
 */
import { writeFileSync } from 'node:fs';
import { input } from '../src/engine/ops.js';
import { adam } from '../src/engine/optim.js';
import { Random } from '../src/engine/random.js';
import { TrainStep } from '../src/engine/trainStep.js';
import { DSPRITES_N, dspritesImage } from '../src/data/dsprites.js';
import { parseModelConfig } from '../src/models/config.js';
import { createModel } from '../src/models/registry.js';
import { buildObjective } from '../src/objectives/config.js';
import { noiseInputs } from '../src/models/noise.js';
import { PRESETS } from '../src/train/presets.js';

const threads = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 40);
const S = Number(process.argv[4] ?? 1);
const imagesFile = process.argv[5];
const B = 64;
const D = 64 * 64;
const BATCHES = 8;

const preset = PRESETS['beta-vae-dsprites'];
const model = createModel(parseModelConfig({ ...preset.model, dataShape: [1, 64, 64] }), { seed: 0 });
const x = input('x', [B, D]);
const specs = model.noise(B, 1);
const noise = noiseInputs(specs);
const beta = input('beta', []);
const capacity = input('capacity', []);
const out = buildObjective(model, x, noise, preset.objective!, { beta, capacity });
const step = await TrainStep.create(
  { loss: out.loss, inputs: [x, ...Object.values(noise), beta, capacity], optimizer: adam() },
  { threads, stepsPerRun: S, profile: process.env.VAELAB_PROFILE },
);

const rng = new Random(0);
const images = new Uint8Array(BATCHES * B * D);
const renderTimes: number[] = [];
for (let b = 0; b < BATCHES; b++) {
  const t0 = performance.now();
  for (let i = 0; i < B; i++) dspritesImage(rng.int(DSPRITES_N), images, (b * B + i) * D);
  renderTimes.push(performance.now() - t0);
}
if (imagesFile) writeFileSync(imagesFile, images);
const xb = new Float32Array(S * B * D);
const eb = new Float32Array(S * B * 10);
const betas = new Float32Array(S).fill(4);
const caps = new Float32Array(S);
const lrs = new Array<number>(S).fill(1e-4);
const times: number[] = [];
for (let i = 0; i < steps; i += S) {
  for (let s = 0; s < S; s++) {
    const j = ((i + s) % BATCHES) * B * D;
    for (let k = 0; k < B * D; k++) xb[s * B * D + k] = images[j + k];
  }
  rng.fillNormal(eb);
  const feeds =
    S > 1
      ? { x: xb, [specs[0].name]: eb, beta: betas, capacity: caps }
      : { x: xb, [specs[0].name]: eb, beta: betas.subarray(0, 1), capacity: caps.subarray(0, 1) };
  const t0 = performance.now();
  await step.runSteps(feeds, lrs);
  times.push((performance.now() - t0) / S);
}
if (process.env.VAELAB_PROFILE) step.endProfiling();
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(
  JSON.stringify({
    engine: S > 1 ? `vaelab (${S} steps per run)` : 'vaelab',
    threads,
    msPerStep: median(times.slice(Math.floor(times.length / 5))),
    renderMsPerBatch: median(renderTimes),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
