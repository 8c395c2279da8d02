/**
 * Lossless codecs on the 10,000 MNIST test images, bits per pixel: node's zlib (gzip -9, brotli q11)
 * and Debian's bzip2 -9 and xz -9e on the same bytes (binarized: best of packed bits or one byte per
 * pixel; grey: one byte per pixel), then vaelab's bits-back rows for the runs given.
 *
 *   npx tsx bench/compress-codecs.ts [--bernoulli RUN_DIR] [--grey RUN_DIR] [--n N] [--no-codecs]
 *
 * Binarization is the compressor's: one Bernoulli(grey level) draw per pixel with seed 0. Times are
 * wall clock on a shared machine (noisy). Prints a Markdown table; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { compressData } from '../src/compress/compressRun.js';
import { decompressLossless } from '../src/compress/lossless.js';
import { symbolsFor } from '../src/compress/symbols.js';
import { range, subset } from '../src/data/dataset.js';
import { loadDataset } from '../src/data/registry.js';
import { loadRun } from '../src/train/experiment.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const n = Number(arg('--n') ?? 10000);
const test = subset(loadDataset('mnist').test!, range(0, n));
const pixels = n * 784;

const packBits = (bits: Uint8Array): Uint8Array => {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
};

const codecs: Record<string, (b: Uint8Array) => number> = {
  gzip: (b) => gzipSync(b, { level: 9 }).length,
  brotli: (b) =>
    brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length,
  bz2: (b) => execFileSync('bzip2', ['-9', '-c'], { input: b, maxBuffer: 1 << 28 }).length,
  xz: (b) => execFileSync('xz', ['-9e', '-c'], { input: b, maxBuffer: 1 << 28 }).length,
};

const binary = symbolsFor(test, 'bernoulli', 0).data;
const grey = symbolsFor(test, 'discretized-logistic', 0).data;
const rows: string[] = ['| codec | binarized MNIST (bits/pixel) | grey MNIST (bits/pixel) |', '|---|---|---|'];
for (const [name, f] of process.argv.includes('--no-codecs') ? [] : Object.entries(codecs)) {
  const bin = Math.min(f(binary), f(packBits(binary)));
  rows.push(`| ${name} | ${((bin * 8) / pixels).toFixed(3)} | ${((f(grey) * 8) / pixels).toFixed(3)} |`);
}

for (const [flag, column] of [
  ['--bernoulli', 1],
  ['--grey', 2],
] as const) {
  const dir = arg(flag);
  if (!dir) continue;
  const run = await loadRun(dir);
  const r = await compressData(run.model, { dataset: 'mnist', split: 'test', n }, { seed: 0 });
  const d = await decompressLossless(run.model, r.bytes, 'bench');
  const exact = Buffer.from(d.symbols.data).equals(Buffer.from(r.symbols.data));
  const cell = `${r.fileBitsPerDim.toFixed(3)} (−ELBO ${r.negElboBitsPerDim.toFixed(3)}, overhead ${(100 * r.overhead).toFixed(2)} %; compress ${r.seconds.toFixed(1)} s (networks ${r.networkSeconds.toFixed(1)} s), decompress ${d.seconds.toFixed(1)} s (networks ${d.networkSeconds.toFixed(1)} s), bit-exact ${exact})`;
  rows.push(`| vaelab bits-back, ${dir} | ${column === 1 ? cell : ''} | ${column === 2 ? cell : ''} |`);
}
console.log(`MNIST test, first ${n} images\n`);
console.log(rows.join('\n'));
