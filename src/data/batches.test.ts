import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { batchCount, batches, staticBinarize, toBatch } from './batches.js';
import { makeDataset, subset } from './dataset.js';
import { splitDataset } from './split.js';

const n = 10;
const ds = makeDataset({
  name: 'toy',
  shape: [1, 2, 2],
  n,
  range: 'uint8',
  data: Uint8Array.from({ length: n * 4 }, (_, i) => (i % 4 === 0 ? 255 : i % 4 === 1 ? 0 : (i * 37) % 256)),
  labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
});

describe('preprocessing', () => {
  it("'grey' is x/255, 'raw' is x", () => {
    const g = toBatch(ds, [1]);
    expect(g[0]).toBe(1);
    expect(g[1]).toBe(0);
    expect(g[2]).toBeCloseTo(ds.data[6] / 255, 6);
    expect(toBatch(ds, [1], { preprocess: 'raw' })[0]).toBe(255);
    const real = makeDataset({ name: 'r', shape: [1], n: 1, range: 'real', data: Float32Array.of(-3) });
    expect(toBatch(real, [0])[0]).toBe(-3);
    expect(() => toBatch(real, [0], { preprocess: 'grey' })).toThrow(/holds real values: use 'raw'/);
  });

  it('dynamic binarization draws fresh, seeded Bernoulli(x/255) values each time', () => {
    const grey = makeDataset({ name: 'g', shape: [1000], n: 1, range: 'uint8', data: new Uint8Array(1000).fill(64) });
    const rng = new Random(5);
    const a = toBatch(grey, [0], { preprocess: 'dynamic-binarize', rng });
    const b = toBatch(grey, [0], { preprocess: 'dynamic-binarize', rng });
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const mean = a.reduce((s, v) => s + v, 0) / 1000;
    expect(Math.abs(mean - 64 / 255)).toBeLessThan(0.05);
    expect(Array.from(toBatch(grey, [0], { preprocess: 'dynamic-binarize', rng: new Random(5) }))).toEqual(Array.from(a));
    // Black and white pixels stay as they are.
    const x = toBatch(ds, [0, 1, 2], { preprocess: 'dynamic-binarize', rng });
    for (let i = 0; i < 3; i++) expect([x[4 * i], x[4 * i + 1]]).toEqual([1, 0]);
    expect(() => toBatch(ds, [0], { preprocess: 'dynamic-binarize' })).toThrow(/needs an rng/);
  });

  it('static binarization is one seeded draw, stored', () => {
    const s1 = staticBinarize(ds, new Random(1));
    const s2 = staticBinarize(ds, new Random(1));
    expect(s1.range).toBe('binary');
    expect(s1.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(s1.data)).toEqual(Array.from(s2.data));
    expect(s1.labels).toBe(ds.labels);
    const x1 = toBatch(s1, [3]);
    expect(Array.from(toBatch(s1, [3]))).toEqual(Array.from(x1)); // the same every epoch
    for (const v of s1.data) expect(v === 0 || v === 1).toBe(true);
  });
});

describe('batches', () => {
  it('visits every example once per epoch in a seeded shuffled order, reusing one buffer', () => {
    const seen: number[] = [];
    let buffer: Float32Array | undefined;
    for (const b of batches(ds, { batchSize: 4, shuffle: new Random(3) })) {
      buffer ??= b.x;
      expect(b.x).toBe(buffer);
      expect(b.x.length).toBe(16);
      for (let i = 0; i < b.size; i++) {
        seen.push(b.indices[i]);
        expect(b.labels![i]).toBe(b.indices[i] % 3);
        expect(b.x[4 * i + 2]).toBeCloseTo(ds.data[4 * b.indices[i] + 2] / 255, 6);
      }
    }
    expect(seen.slice().sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
    expect(seen).not.toEqual([...Array(n).keys()]);
    const again = [...batches(ds, { batchSize: 4, shuffle: new Random(3) })].length;
    expect(again).toBe(3);
  });

  it('pads the last partial batch with zeros (size < batchSize) or drops it', () => {
    const all = [...batches(ds, { batchSize: 4 })].map((b) => ({
      size: b.size,
      idx: Array.from(b.indices),
      tail: Array.from(b.x.subarray(8)),
    }));
    expect(all.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(all[2].idx).toEqual([8, 9]);
    expect(all[2].tail).toEqual(new Array(8).fill(0));
    expect([...batches(ds, { batchSize: 4, dropLast: true })].map((b) => b.size)).toEqual([4, 4]);
    expect(batchCount(10, 4)).toBe(3);
    expect(batchCount(10, 4, true)).toBe(2);
    const out = new Float32Array(16);
    expect([...batches(ds, { batchSize: 4, out })][0].x).toBe(out);
    expect(() => [...batches(ds, { batchSize: 0 })]).toThrow(/positive integer/);
  });

  it('iterates subsets (views) and reports base indices', () => {
    const view = subset(ds, Uint32Array.of(7, 2, 5));
    const [b] = [...batches(view, { batchSize: 3 })];
    expect(Array.from(b.indices)).toEqual([7, 2, 5]);
    expect(b.x[2]).toBeCloseTo(ds.data[7 * 4 + 2] / 255, 6);
    const nested = subset(view, Uint32Array.of(2));
    expect(Array.from(nested.indices)).toEqual([5]);
  });
});

describe('splitDataset', () => {
  it("holds out the last examples with from: 'end'", () => {
    const s = splitDataset(ds, { validation: 2, test: 0.3, from: 'end' });
    expect(Array.from(s.train.indices)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(s.validation!.indices)).toEqual([5, 6]);
    expect(Array.from(s.test!.indices)).toEqual([7, 8, 9]);
  });

  it('holds out a seeded random choice, disjoint and covering, reproducibly', () => {
    const s = splitDataset(ds, { validation: 0.3, from: new Random(8) });
    const all = [...s.train.indices, ...s.validation!.indices].sort((a, b) => a - b);
    expect(all).toEqual([...Array(n).keys()]);
    expect(s.validation!.n).toBe(3);
    expect(Array.from(splitDataset(ds, { validation: 0.3, from: new Random(8) }).validation!.indices)).toEqual(
      Array.from(s.validation!.indices),
    );
    expect(s.train.base).toBe(ds);
    expect(() => splitDataset(ds, { validation: 11, from: 'end' })).toThrow(/validation size 11/);
  });
});
