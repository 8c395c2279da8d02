import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../data/png-folder.js';
import { readIdx } from '../../data/idx.js';
import { loadDataset } from '../../data/registry.js';
import { range, subset } from '../../data/dataset.js';
import { symbolsFor } from '../../compress/symbols.js';
import { runCli } from '../testing.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-compress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runCli;

const tiny = [
  '--train-n',
  '300',
  '--batch',
  '30',
  '--max-steps',
  '10',
  '--latent',
  '4',
  '--hidden',
  '32',
  '--validation',
  '100',
  '--no-eval',
  '--no-report',
  '--threads',
  '1',
  '--quiet',
];
const N = 40;
const binRun = join(root, 'bin');
const greyRun = join(root, 'grey');
const bbRun = join(root, 'beta-binomial');

/** The first n MNIST test images' symbols, as the compressor makes them. */
const mnistSymbols = (decoder: 'bernoulli' | 'discretized-logistic' | 'beta-binomial'): Uint8Array =>
  symbolsFor(subset(loadDataset('mnist').test!, range(0, N)), decoder, 0).data;

// Slow (~30 s: trains five tiny models): skipped in the quick loop (VAELAB_QUICK=1).
describe.skipIf(process.env.VAELAB_QUICK)('vaelab compress / decompress', () => {
  beforeAll(async () => {
    for (const [dir, extra] of [
      [binRun, []],
      [greyRun, ['--decoder', 'discretized-logistic', '--binarize', 'none']],
      [bbRun, ['--decoder', 'beta-binomial', '--binarize', 'none']],
    ] as const) {
      const r = await run('train', ...tiny, ...extra, '--out', dir);
      expect(r.code, r.err.join('\n')).toBe(0);
    }
  }, 120_000);

  it('round-trips binarized MNIST bit-exactly and reports bits/dim against the −ELBO', async () => {
    const file = join(root, 'bin.vz');
    const c = await run('compress', binRun, '--dataset', 'mnist', '--eval-n', String(N), '--out', file, '--json');
    expect(c.code, c.err.join('\n')).toBe(0);
    const r = JSON.parse(c.out[c.out.length - 1]);
    expect(r.count).toBe(N);
    expect(r.bitsPerDim).toBeCloseTo((readFileSync(file).length * 8) / (N * 784), 10);
    // Bits-back's rate is the −ELBO of the (discretised) model up to the first example's initial bits.
    expect(Math.abs(r.payloadBitsPerDim / r.negElboBitsPerDim - 1)).toBeLessThan(0.1);
    const d = await run('decompress', binRun, file, '--out', join(root, 'bin-out'));
    expect(d.code, d.err.join('\n')).toBe(0);
    const idx = readIdx(join(root, 'bin-out', 'images.idx'));
    expect(idx.dims).toEqual([N, 28, 28]);
    expect(Buffer.from(idx.data as Uint8Array).equals(Buffer.from(mnistSymbols('bernoulli').map((v) => v * 255)))).toBe(true);
  }, 60_000);

  it('round-trips 8-bit grey images with the discretised logistic, from MNIST and from a PNG folder', async () => {
    const file = join(root, 'grey.vz');
    expect((await run('compress', greyRun, '--eval-n', String(N), '--out', file)).code).toBe(0);
    expect((await run('decompress', greyRun, file, '--out', join(root, 'grey-out'), '--format', 'npy')).code).toBe(0);
    const npy = readFileSync(join(root, 'grey-out', 'images.npy'));
    expect(Buffer.from(npy.subarray(npy.length - N * 784)).equals(Buffer.from(mnistSymbols('discretized-logistic')))).toBe(true);

    const folder = join(root, 'pngs');
    mkdirSync(folder);
    const pixels = mnistSymbols('discretized-logistic');
    for (let i = 0; i < 12; i++)
      writeFileSync(join(folder, `img${String(i).padStart(2, '0')}.png`), encodePng(pixels.subarray(i * 784, (i + 1) * 784), 28, 28));
    const pngFile = join(root, 'png.vz');
    const c = await run('compress', greyRun, '--dataset', folder, '--out', pngFile);
    expect(c.code, c.err.join('\n')).toBe(0);
    expect((await run('decompress', greyRun, pngFile, '--out', join(root, 'png-out'))).code).toBe(0);
    const idx = readIdx(join(root, 'png-out', 'images.idx'));
    expect(Buffer.from(idx.data as Uint8Array).equals(Buffer.from(pixels.subarray(0, 12 * 784)))).toBe(true);
  }, 60_000);

  it.each([
    ['discretized-logistic', greyRun],
    ['beta-binomial', bbRun],
  ])(
    'the %s decoder codes grey MNIST at its −ELBO and decodes it bit-exactly',
    async (decoder, dir) => {
      const file = join(root, `${decoder}-rate.vz`);
      const c = await run('compress', dir, '--eval-n', String(N), '--out', file, '--json');
      expect(c.code, c.err.join('\n')).toBe(0);
      const r = JSON.parse(c.out[c.out.length - 1]);
      // Grey images cost thousands of bits each: the start-up cost is negligible, the rate is the −ELBO.
      expect(Math.abs(r.payloadBitsPerDim / r.negElboBitsPerDim - 1)).toBeLessThan(0.02);
      expect((await run('decompress', dir, file, '--out', join(root, `${decoder}-rate-out`))).code).toBe(0);
      const idx = readIdx(join(root, `${decoder}-rate-out`, 'images.idx'));
      expect(Buffer.from(idx.data as Uint8Array).equals(Buffer.from(mnistSymbols('discretized-logistic')))).toBe(true);
    },
    60_000,
  );

  it('refuses corrupt, truncated and foreign files, and the wrong model, with one-paragraph errors and no output', async () => {
    const file = join(root, 'ok.vz');
    expect((await run('compress', binRun, '--eval-n', '10', '--out', file)).code).toBe(0);
    const good = readFileSync(file);
    const variants: [string, Uint8Array, RegExp][] = [
      ['payload', Uint8Array.from(good, (b, i) => (i === good.length - 5 ? b ^ 0x10 : b)), /corrupt: the payload's SHA-256/],
      ['header', Uint8Array.from(good, (b, i) => (i === 40 ? b ^ 0x01 : b)), /corrupt: the header's CRC-32/],
      ['truncated', good.subarray(0, good.length - 8), /truncated/],
      ['foreign', Buffer.from('hello, this is not a compressed file'), /not a vaelab compressed file/],
    ];
    for (const [name, bytes, pattern] of variants) {
      const bad = join(root, `${name}.vz`);
      writeFileSync(bad, bytes);
      const r = await run('decompress', binRun, bad, '--out', join(root, `${name}-out`));
      expect(r.code, name).toBe(1);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(pattern);
      expect(existsSync(join(root, `${name}-out`)), name).toBe(false);
    }
    const other = join(root, 'other');
    expect((await run('train', ...tiny, '--seed', '5', '--out', other)).code).toBe(0);
    const r = await run('decompress', other, file, '--out', join(root, 'other-out'));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/compressed with a different model/);
    const g = await run('decompress', greyRun, file, '--out', join(root, 'grey-other-out'));
    expect(g.err[0]).toMatch(/different model/);
  }, 90_000);

  it('says why a model cannot code: a Gaussian decoder', async () => {
    const dir = join(root, 'gauss');
    expect((await run('train', ...tiny, '--decoder', 'gaussian', '--binarize', 'none', '--out', dir)).code).toBe(0);
    const r = await run('compress', dir, '--eval-n', '5', '--out', join(root, 'g.vz'));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/discrete likelihood.*discretized-logistic/);
  }, 60_000);

  it('lossy: codes the active latents at B bits each, decodes μ_x(ẑ), and compares with PCA at the same rate', async () => {
    const file = join(root, 'lossy.vz');
    const c = await run('compress', greyRun, '--lossy', '--bits', '6', '--eval-n', String(N), '--out', file, '--json');
    expect(c.code, c.err.join('\n')).toBe(0);
    const r = JSON.parse(c.out[c.out.length - 1]);
    expect(r.vae.rate).toBe(6 * r.vae.coded);
    expect(r.pca.rate).toBe(r.vae.rate);
    expect(r.vae.mse).toBeGreaterThan(0);
    const d = await run('decompress', greyRun, file, '--out', join(root, 'lossy-out'));
    expect(d.code, d.err.join('\n')).toBe(0);
    const images = readIdx(join(root, 'lossy-out', 'images.idx')).data as Uint8Array;
    const x = mnistSymbols('discretized-logistic');
    let se = 0;
    for (let i = 0; i < x.length; i++) se += ((images[i] - x[i]) / 255) ** 2;
    // The decoded images are the reconstructions the compressor measured, up to 8-bit rounding.
    expect(Math.abs(se / x.length - r.vae.mse)).toBeLessThan(0.002);
  }, 60_000);
});
