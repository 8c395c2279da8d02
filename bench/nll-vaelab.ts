/**
 * The NLL by importance sampling (K = 1000 on 2,000 MNIST test images by default) of a trained MLP VAE
 * run (Bernoulli decoder, standard prior), timed in vaelab, and the same inputs (one binarization)
 * and weights written for bench/nll-torch.py, which times the same computation in PyTorch.
 *
 *   npx tsx bench/nll-vaelab.ts RUN_DIR [K] [N] [THREADS] [OUT_DIR] [K_CHUNK]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator } from '../src/eval/evaluate.js';
import { fixInputs } from '../src/eval/fixedInputs.js';
import { loadRun } from '../src/train/experiment.js';

const [dir, kArg = '1000', nArg = '2000', tArg = '1', outArg = 'bench/out/nll', chunkArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx bench/nll-vaelab.ts RUN_DIR [K] [N] [THREADS] [OUT_DIR]');
const k = Number(kArg);
const n = Number(nArg);
const threads = Number(tArg);
const run = await loadRun(dir);
const m = run.config.model;
if (m.kind !== 'vae' || m.decoder !== 'bernoulli' || m.prior !== 'standard' || m.flowSteps > 0 || m.architecture !== 'mlp') {
  throw new Error('nll bench: needs an MLP VAE with a Bernoulli decoder and the standard prior');
}
const seed = run.config.train.seed + 1;
const fixed = fixInputs(run.data.test!, n, run.data.preprocess, seed);
mkdirSync(outArg, { recursive: true });
writeFileSync(join(outArg, 'x.bin'), fixed.data.data as Float32Array);
const manifest: Record<string, unknown> = { n, k, threads, latent: m.latent, activation: m.activation, tensors: [] as unknown[] };
for (const p of run.model.store.all()) {
  writeFileSync(join(outArg, `${p.name}.bin`), p.value);
  (manifest.tensors as unknown[]).push({ name: p.name, shape: p.shape });
}
const evaluator = new Evaluator(run.model, {
  k,
  nllBatch: 20,
  preprocess: 'raw',
  seed,
  threads,
  diagnostics: false,
  ...(chunkArg ? { kChunk: Number(chunkArg) } : {}),
});
await evaluator.evaluate(fixed.data, { k: 1, n: 20 }); // compile the graphs outside the timing
const t0 = performance.now();
const r = await evaluator.evaluate(fixed.data);
const seconds = (performance.now() - t0) / 1000;
manifest.vaelab = { nll: r.nll, nllSe: r.nllSe, seconds };
writeFileSync(join(outArg, 'manifest.json'), JSON.stringify(manifest, null, 1));
console.log(
  JSON.stringify({
    engine: 'vaelab',
    k,
    n,
    threads,
    kChunk: chunkArg ?? 'default',
    nll: r.nll,
    nllSe: r.nllSe,
    seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
