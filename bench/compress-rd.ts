/**
 * Rate–distortion of a trained VAE's lossy code against PCA on the MNIST test images (seed 004 compares
 * the two): for B = 1..8 bits per active latent, the VAE's rate (bits/image), MSE and PSNR on grey
 * levels in [0, 1]; PCA at the same rate, (a) with as many components as active latents at B bits each
 * and (b) the best split of the same rate into k components × b bits (b = 1..8). PCA is fitted on the
 * first 5,000 training images.
 *
 *   npx tsx bench/compress-rd.ts --run RUN_DIR [--n 10000]
 */
import { greyOf } from '../src/compress/lossyFile.js';
import { pcaRatePoint, vaeRatePoint, VaeLossyCoder, type RatePoint } from '../src/compress/lossy.js';
import { fitPca, leadingComponents } from '../src/eval/pca.js';
import { range, subset } from '../src/data/dataset.js';
import { loadDataset } from '../src/data/registry.js';
import { VAE } from '../src/models/vae.js';
import { loadRun } from '../src/train/experiment.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = arg('--run');
if (!dir) throw new Error('usage: npx tsx bench/compress-rd.ts --run RUN_DIR [--n N]');
const n = Number(arg('--n') ?? 10000);
const run = await loadRun(dir);
if (!(run.model instanceof VAE)) throw new Error(`${dir} is not a VAE run`);
const mnist = loadDataset('mnist');
const test = subset(mnist.test!, range(0, n));
const x = greyOf(test);
const trainN = 5000;
const train = greyOf(subset(mnist.train, range(0, trainN)));
const coder = await VaeLossyCoder.create(run.model);
const maxK = 100;
const t0 = performance.now();
const pca = await fitPca(train, trainN, 784, maxK, { threads: 1 });
console.log(`PCA: ${maxK} components in ${((performance.now() - t0) / 1000).toFixed(1)} s (${pca.iterations} iterations)`);

const fmt = (p: RatePoint): string => `${p.rate} | ${p.mse.toFixed(5)} | ${p.psnr.toFixed(2)}`;
const rows = [
  '| B | VAE: rate (bits/image) | MSE | PSNR (dB) | PCA, same k and B: MSE | PSNR | PCA, best k × b at that rate: k × b | MSE | PSNR |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (let bits = 1; bits <= 8; bits++) {
  const v = await vaeRatePoint(coder, x, n, bits);
  const same = pcaRatePoint(leadingComponents(pca, v.coded), x, n, bits);
  let best: RatePoint | null = null;
  for (let b = 1; b <= 8; b++) {
    const k = Math.floor(v.rate / b);
    if (k < 1 || k > maxK) continue;
    const p = pcaRatePoint(leadingComponents(pca, k), x, n, b);
    if (!best || p.mse < best.mse) best = p;
  }
  rows.push(
    `| ${bits} | ${fmt(v)} | ${same.mse.toFixed(5)} | ${same.psnr.toFixed(2)} | ${best ? `${best.coded} × ${best.bits} | ${best.mse.toFixed(5)} | ${best.psnr.toFixed(2)}` : '- | - | -'} |`,
  );
}
console.log(`${dir}: MNIST test, first ${n} images\n`);
console.log(rows.join('\n'));
