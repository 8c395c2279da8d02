import { describe, expect, it } from 'vitest';
import { labelOf, makeDataset } from './dataset.js';
import { balancedLabelSplit } from './labelledSplit.js';

// 3 classes with 5, 7 and 9 examples, labels interleaved; example i stores the value i.
const labels = Uint8Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 2, 1, 2, 2, 2]);
const data = Uint8Array.from(labels.map((_, i) => i));
const ds = makeDataset({ name: 'toy', shape: [1], n: labels.length, range: 'uint8', data, labels });

describe('balancedLabelSplit', () => {
  it('takes exactly N / C examples of each class and leaves the rest unlabelled, disjoint and complete', () => {
    const s = balancedLabelSplit(ds, 6, 3);
    expect(s.classes).toBe(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < s.labelled.n; i++) counts[labelOf(s.labelled, i)!]++;
    expect(counts).toEqual([2, 2, 2]);
    expect(s.unlabelled.n).toBe(ds.n - 6);
    const all = [...s.labelled.indices, ...s.unlabelled.indices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: ds.n }, (_, i) => i));
  });

  it('is a function of the seed: the same seed gives the same examples, other seeds other ones', () => {
    const a = balancedLabelSplit(ds, 6, 3).labelled.indices;
    expect([...balancedLabelSplit(ds, 6, 3).labelled.indices]).toEqual([...a]);
    const others = [4, 5, 6, 7, 8].map((seed) => [...balancedLabelSplit(ds, 6, seed).labelled.indices].join());
    expect(others.some((o) => o !== [...a].join())).toBe(true);
  });

  it('every member of a class is chosen about equally often over seeds (uniform within the class)', () => {
    // Class 0 has 5 members, 2 chosen per split: each should be chosen 2/5 of the time.
    const hits = new Map<number, number>();
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      for (const j of balancedLabelSplit(ds, 6, seed).labelled.indices) if (labels[j] === 0) hits.set(j, (hits.get(j) ?? 0) + 1);
    }
    expect([...hits.keys()].sort((a, b) => a - b)).toEqual([0, 3, 6, 9, 12]);
    // Binomial(2000, 0.4): sd ≈ 22; 5 sd either side.
    for (const h of hits.values()) expect(Math.abs(h - 0.4 * trials)).toBeLessThan(110);
  });

  it('rejects N that is not a multiple of C, more per class than a class holds, and unlabelled data', () => {
    expect(() => balancedLabelSplit(ds, 7, 0)).toThrow(/multiple of the 3 classes/);
    expect(() => balancedLabelSplit(ds, 18, 0)).toThrow(/class 0 has 5 training examples, fewer than the 6/);
    const bare = makeDataset({ name: 'bare', shape: [1], n: 3, range: 'uint8', data: new Uint8Array(3) });
    expect(() => balancedLabelSplit(bare, 3, 0)).toThrow(/has no labels/);
  });
});
