/**
 * Shared reader for the MNIST family: a folder with the four IDX files
 * `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`, 28x28 uint8 images and uint8 labels.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { readIdx } from './idx.js';

/** Which half of an MNIST-like set. */
export type MnistPart = 'train' | 't10k';

/** The path of `stem` in `dir`, raw or gzipped, or undefined when neither exists. */
export function findIdx(dir: string, stem: string): string | undefined {
  for (const f of [stem, `${stem}.gz`]) if (existsSync(join(dir, f))) return join(dir, f);
  return undefined;
}

/**
 * Reads images and labels of one part from `dir` as a {@link Dataset} of shape `[1, 28, 28]`, range
 * `'uint8'`, holding the images as ONE Uint8Array (a view of the decoded file, no copy).
 * `missing(file)` builds the error for a file that is not there.
 */
export function readMnistLike(
  dir: string,
  part: MnistPart,
  name: string,
  labelNames: readonly string[],
  missing: (file: string) => DataError,
): Dataset {
  const imagesStem = `${part}-images-idx3-ubyte`;
  const labelsStem = `${part}-labels-idx1-ubyte`;
  const imagesPath = findIdx(dir, imagesStem);
  const labelsPath = findIdx(dir, labelsStem);
  if (!imagesPath) throw missing(join(dir, imagesStem));
  if (!labelsPath) throw missing(join(dir, labelsStem));
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.type !== 'uint8' || images.dims.length !== 3) {
    throw new DataError(
      imagesPath,
      'byte 2',
      `expected uint8 images of 3 dimensions (n, rows, cols), found ${images.type} of shape ${images.dims.join('x')}`,
    );
  }
  if (labels.type !== 'uint8' || labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new DataError(
      labelsPath,
      'byte 2',
      `expected ${images.dims[0]} uint8 labels (one per image in ${imagesPath}), found ${labels.type} of shape ${labels.dims.join('x')}`,
    );
  }
  const [n, rows, cols] = images.dims;
  return makeDataset({
    name: `${name}/${part === 'train' ? 'train' : 'test'}`,
    shape: [1, rows, cols],
    n,
    range: 'uint8',
    data: images.data,
    labels: labels.data as Uint8Array,
    labelNames,
  });
}
