/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 + 10,000 28x28 greyscale images of clothing in
 * 10 classes, same IDX layout as MNIST. Read from the Debian package `dataset-fashion-mnist`, which
 * installs the gzipped IDX files in {@link FASHION_MNIST_DIR}.
 */
import type { Dataset, Splits } from './dataset.js';
import { DataError } from './errors.js';
import { readMnistLike, type MnistPart } from './mnist-like.js';

/** Where the Debian package `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The ten classes, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

function missing(file: string): DataError {
  return new DataError(
    file,
    '',
    'Fashion-MNIST not found: expected the gzipped IDX files of the Debian package dataset-fashion-mnist ' +
      `in ${FASHION_MNIST_DIR}. Install it with \`sudo apt-get install dataset-fashion-mnist\`, or pass --dataset ` +
      'a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.',
  );
}

/** One part of Fashion-MNIST (`'train'` or `'t10k'`) as one Uint8Array `[n, 1, 28, 28]`. */
export function loadFashionMnistPart(part: MnistPart, dir = FASHION_MNIST_DIR): Dataset {
  return readMnistLike(dir, part, 'fashion-mnist', FASHION_MNIST_CLASSES, missing);
}

/** Fashion-MNIST train (60k) and test (10k). */
export function loadFashionMnist(options: { dir?: string } = {}): Splits {
  return { train: loadFashionMnistPart('train', options.dir), test: loadFashionMnistPart('t10k', options.dir) };
}
