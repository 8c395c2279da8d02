import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { readUserData } from './files.js';
import { encodeIdx } from './idx.js';
import { encodeNpy } from './npy.js';
import { decodePng, encodePng, readPngFolder } from './png-folder.js';
import { loadDataset } from './registry.js';
import { tempDir } from './test-util.js';

const dir = tempDir();
const write = (name: string, bytes: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('PNG folders', () => {
  it('reads a greyscale folder as [1, H, W] in file-name order', () => {
    const f = join(dir, 'grey');
    mkdirSync(f);
    const a = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    writeFileSync(join(f, 'b.png'), encodePng(a, 4, 3));
    writeFileSync(join(f, 'a.png'), encodePng(new Uint8Array(12).fill(7), 4, 3));
    writeFileSync(join(f, 'notes.txt'), 'ignored');
    const ds = readPngFolder(f);
    expect(ds).toMatchObject({ n: 2, shape: [1, 3, 4], range: 'uint8' });
    expect(Array.from(ds.data.subarray(0, 12))).toEqual(new Array(12).fill(7));
    expect(Array.from(ds.data.subarray(12))).toEqual(Array.from(a));
  });

  it('reads RGB as channels-first [3, H, W] and class subfolders as labels', () => {
    const f = join(dir, 'rgb');
    mkdirSync(join(f, 'cats'), { recursive: true });
    mkdirSync(join(f, 'dogs'));
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]); // 2x1 pixels
    writeFileSync(join(f, 'cats', 'x.png'), encodePng(rgb, 2, 1, 3));
    writeFileSync(join(f, 'dogs', 'y.png'), encodePng(rgb, 2, 1, 3));
    writeFileSync(join(f, 'dogs', 'z.png'), encodePng(rgb, 2, 1, 3));
    const ds = readPngFolder(f);
    expect(ds).toMatchObject({ n: 3, shape: [3, 1, 2], labelNames: ['cats', 'dogs'] });
    expect(Array.from(ds.data.subarray(0, 6))).toEqual([10, 40, 20, 50, 30, 60]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 1]);
  });

  it('rejects an image of another size, naming it and the expected size', () => {
    const f = join(dir, 'mixed');
    mkdirSync(f);
    writeFileSync(join(f, '1.png'), encodePng(new Uint8Array(4), 2, 2));
    writeFileSync(join(f, '2.png'), encodePng(new Uint8Array(6), 3, 2));
    expect(() => readPngFolder(f)).toThrow(
      /mixed \(image .*2\.png\): expected 2x2 like .*1\.png \(all images must be one size\), found 3x2/,
    );
  });

  it('rejects corrupt PNGs and empty folders', () => {
    const png = encodePng(new Uint8Array(64), 8, 8);
    expect(() => decodePng(png.subarray(0, 20), 'c.png')).toThrow(/^c\.png \(byte 20\): truncated PNG/);
    const flipped = png.slice();
    flipped[png.length - 20] ^= 0xff; // inside the IDAT data: CRC mismatch
    expect(() => decodePng(flipped, 'c.png')).toThrow(/^c\.png: corrupt PNG \(header was valid: 8x8\)/);
    const wide = png.slice();
    wide[16] = 0x7f; // width 2 billion
    expect(() => decodePng(wide, 'w.png')).toThrow(/w\.png \(byte 16\): expected an image size of 1 to \d+ pixels, found \d+x8/);
    expect(() => decodePng(new TextEncoder().encode('GIF89a.................................'), 'g.png')).toThrow(
      /g\.png \(byte 0\): not a PNG file/,
    );
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => readPngFolder(empty)).toThrow(/empty: expected \.png files/);
  });
});

describe('user files and the registry', () => {
  it('reads IDX (raw and gzipped), NPY and CSV by path, with labels files', () => {
    const imgs = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i);
    const idx = write('imgs-idx3-ubyte', encodeIdx(imgs, [3, 2, 2]));
    write('imgs.idx.gz', gzipSync(encodeIdx(imgs, [3, 2, 2])));
    const labels = write('labels.npy', encodeNpy(Uint8Array.from([2, 0, 1]), [3]));
    const a = readUserData(idx, { labels });
    expect(a).toMatchObject({ n: 3, shape: [1, 2, 2], range: 'uint8' });
    expect(Array.from(a.labels!)).toEqual([2, 0, 1]);
    expect(loadDataset(join(dir, 'imgs.idx.gz')).train).toMatchObject({ n: 3, shape: [1, 2, 2] });
    const npy = write('x.npy', encodeNpy(Float32Array.from([0.1, 0.2, 0.3, 0.4, 5, 6]), [3, 2]));
    expect(readUserData(npy)).toMatchObject({ n: 3, shape: [2], range: 'real' });
    const csv = write('x.csv', '0,0.5\n1,0.25\n');
    const c = loadDataset(csv, { labelColumn: 'first' });
    expect(c.train).toMatchObject({ n: 2, shape: [1], range: 'unit' });
  });

  it('checks label counts and unknown paths', () => {
    const idx = write('four.idx', encodeIdx(new Uint8Array(8), [4, 2]));
    const labels = write('three.csv', '1\n2\n3\n');
    expect(() => readUserData(idx, { labels })).toThrow(/three\.csv: expected 4 labels \(one per example of .*four\.idx\), found 3/);
    expect(() => loadDataset(join(dir, 'missing.npy'))).toThrow(/missing\.npy: no such file or folder \(expected a dataset name: mnist/);
    expect(() => loadDataset(write('x.bmp', 'x'))).toThrow(/x\.bmp: unknown file type/);
    expect(() => loadDataset(write('one.npy', encodeNpy(new Uint8Array(3), [3])))).toThrow(DataError);
  });

  it('loads every named set, with views for validation', () => {
    const m = loadDataset('mnist', { validation: 400 });
    expect([m.train.n, m.validation?.n, m.test?.n]).toEqual([59600, 400, 10000]);
    const d = loadDataset('dsprites', { validation: 0.1, test: 0.1, splitFrom: 'random', seed: 3 });
    expect(d.train.n + d.validation!.n + d.test!.n).toBe(737280);
    const p = loadDataset('ppca', { n: 500, ppca: { d: 6, q: 2 } });
    expect(p.train).toMatchObject({ n: 500, shape: [6], range: 'real' });
    expect(p.truth?.ppca?.W.length).toBe(12);
    for (const name of ['gmm', 'rings', 'pinwheel'] as const) {
      const s = loadDataset(name, { n: 100, seed: 1 });
      expect(s.train).toMatchObject({ n: 100, shape: [2] });
      expect(s.test?.n).toBe(20);
    }
    expect(loadDataset('rings', { n: 50, seed: 9 }).train).toEqual(loadDataset('rings', { n: 50, seed: 9 }).train);
  });
});
