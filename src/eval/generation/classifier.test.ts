import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { makeDataset, type Dataset } from '../../data/dataset.js';
import { toBatch } from '../../data/batches.js';
import { range } from '../../data/dataset.js';
import { loadDataset } from '../../data/registry.js';
import { createModel } from '../../models/registry.js';
import { FeatureClassifier } from './classifier.js';
import { featureSpace, reference, scoreImages } from './measure.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-classifier-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** n examples of 3 classes in [0, 1]^12: class c lights up pixels 4c..4c+3, plus uniform noise. */
function bars(n: number, seed: number): Dataset {
  const rng = new Random(seed);
  const data = new Float32Array(n * 12);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    for (let j = 0; j < 12; j++) data[i * 12 + j] = 0.4 * rng.uniform() + (Math.floor(j / 4) === c ? 0.6 : 0);
  }
  return makeDataset({ name: 'bars', shape: [12], n, range: 'unit', data, labels, labelNames: ['a', 'b', 'c'] });
}

describe('feature classifier', () => {
  const train = bars(900, 1);
  const test = bars(300, 2);

  it('learns the labels, and reloads from its cache with the same features', async () => {
    const cacheDir = join(root, 'bars');
    const c = await FeatureClassifier.trainOrLoad(train, test, { hidden: [16, 8], epochs: 15, cacheDir, threads: 1 });
    expect(c.cached).toBe(false);
    expect(c.testAccuracy).toBeGreaterThan(0.95);
    expect(c.featureSize).toBe(8);
    const again = await FeatureClassifier.trainOrLoad(train, test, { hidden: [16, 8], cacheDir, threads: 1 });
    expect(again.cached).toBe(true);
    expect(again.testAccuracy).toBe(c.testAccuracy);
    const x = toBatch(test, range(0, 7));
    expect((await again.run(x)).features).toEqual((await c.run(x)).features);
    const probs = (await c.run(x)).probs;
    for (let i = 0; i < 7; i++) expect(probs.subarray(3 * i, 3 * i + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});

describe('generation measures of a feature space', () => {
  it('scores held-out images against themselves as perfect; falls back to encoder features without labels', async () => {
    // An unlabelled CSV file: no classifier can be trained, so the run's encoder gives the features.
    const rng = new Random(5);
    const csv = join(root, 'points.csv');
    writeFileSync(
      csv,
      Array.from({ length: 400 }, () => Array.from({ length: 5 }, () => rng.uniform().toFixed(4)).join(',')).join('\n') + '\n',
    );
    const model = createModel({ kind: 'vae', latent: 3, hidden: [8], dataShape: [5] }, { seed: 1 });
    const space = await featureSpace(model, { dataset: csv, test: 100, cacheRoot: root, threads: 1 });
    expect(space.kind).toBe('encoder');
    expect(space.size).toBe(3);
    expect(space.note).toMatch(/no labels.*encoder/);
    const testPart = loadDataset(csv, { test: 100 }).test!;
    const ref = await reference(space, testPart, 100);
    expect(ref.n).toBe(100);
    expect(ref.labelEntropy).toBeNull();
    const same = await scoreImages(space, ref, toBatch(testPart, range(0, 100)), 'copy');
    expect(same.frechetDistance).toBeLessThan(1e-6);
    expect(same.precision).toBe(1);
    expect(same.recall).toBe(1);
    const shifted = await scoreImages(
      space,
      ref,
      toBatch(testPart, range(0, 100)).map((v) => v + 3),
      'shifted',
    );
    expect(shifted.frechetDistance).toBeGreaterThan(same.frechetDistance + 0.01);
  });
});
