/**
 * The Lab's data: the 2-D toy sets drawn exactly as `vaelab train --dataset rings|pinwheel|gmm`
 * draws them (the same generator steps as data/registry.ts, so a downloaded run evaluates on the same
 * test set), and the bundled MNIST subset (the first {@link MNIST_SUBSET} training images, built by
 * `mnistSubset.ts` at `npm run build`). Browser-safe.
 */
import { Random } from '../engine/random.js';
import { makeDataset, type Dataset } from '../data/dataset.js';
import { gaussianMixture, pinwheel, rings } from '../data/synthetic.js';
import type { LabSettings } from './session.js';

/** Images in the bundled MNIST subset. */
export const MNIST_SUBSET = 2000;
/** File name of the subset: N × 784 grey levels (uint8) followed by N labels (uint8). */
export const MNIST_SUBSET_FILE = 'mnist-subset.bin';

/** The training part of a toy set for `seed`, as data/registry.ts's loaders draw it (default n = 10,000). */
export function toyDataset(name: Exclude<LabSettings['dataset'], 'mnist'>, seed: number): Dataset {
  const rng = new Random(seed);
  rng.split(); // registry.ts splits off the generator of random splits first
  if (name === 'rings') return rings(rng, { n: 10_000 });
  if (name === 'pinwheel') return pinwheel(rng, { n: 10_000 });
  // gmm: train and test come from one draw of n + n/5 points; the training part is the first n.
  const { dataset } = gaussianMixture(rng, { n: 12_000 });
  return makeDataset({
    name: 'gmm',
    shape: dataset.shape,
    n: 10_000,
    range: 'real',
    data: (dataset.data as Float32Array).subarray(0, 20_000),
    labels: dataset.labels?.subarray(0, 10_000),
  });
}

/** The MNIST subset from the bytes of {@link MNIST_SUBSET_FILE}. */
export function mnistSubset(bytes: Uint8Array): Dataset {
  const n = bytes.length / 785;
  if (!Number.isInteger(n)) throw new Error(`${MNIST_SUBSET_FILE}: ${bytes.length} bytes is not a whole number of 785-byte examples`);
  return makeDataset({
    name: 'mnist',
    shape: [28, 28],
    n,
    range: 'uint8',
    data: bytes.subarray(0, 784 * n),
    labels: Int32Array.from(bytes.subarray(784 * n)),
  });
}
