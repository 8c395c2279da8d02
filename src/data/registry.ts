/**
 * One entry point: `loadDataset(nameOrPath, options)` resolves a dataset name (a closed set, each
 * with its loader in a total table) or a path to the user's own file or folder.
 */
import { Random } from '../engine/random.js';
import type { Source, Splits } from './dataset.js';
import { dspritesDataset } from './dsprites.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { readUserData } from './files.js';
import { loadMnist } from './mnist.js';
import { randomPpcaParams, samplePpca, type PpcaParams } from './ppca.js';
import { splitDataset } from './split.js';
import { gaussianMixture, pinwheel, rings, type GmmParams } from './synthetic.js';

/** The dataset names {@link loadDataset} knows. */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'dsprites', 'ppca', 'gmm', 'rings', 'pinwheel'] as const;
/** One known dataset name. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options for {@link loadDataset}; each applies where it makes sense and is ignored elsewhere. */
export interface DatasetLoadOptions {
  /** Seed for synthetic data and random splits (default 0). */
  readonly seed?: number;
  /**
   * Hold out this many training examples (count >= 1, or fraction in (0, 1)) for validation.
   * `loadDataset('mnist', { validation: 400 })` is the IWAE paper's split (the last 400).
   */
  readonly validation?: number;
  /** For sets without a test part (your files, dSprites): hold out this many examples for test. */
  readonly test?: number;
  /** Hold out the last examples (`'end'`, default) or a seeded random choice (`'random'`). */
  readonly splitFrom?: 'end' | 'random';
  /** Synthetic sets: number of training examples (default 10,000; the test part is a fifth of it). */
  readonly n?: number;
  /** pPCA: data dimension (default 20), latent dimension (default 4), noise variance (default 0.25). */
  readonly ppca?: { readonly d?: number; readonly q?: number; readonly sigma2?: number };
  /** MNIST / Fashion-MNIST: read the IDX files from this folder instead. */
  readonly dir?: string;
  /** Your files: a labels file (IDX, NPY or one-column CSV). */
  readonly labels?: string;
  /** Your CSV: which column is the label. */
  readonly labelColumn?: 'first' | 'last' | number;
}

/** What {@link loadDataset} returns: the splits, plus the true parameters of synthetic sets. */
export interface LoadedDataset extends Splits {
  /** The generating parameters, for synthetic sets (`ppca`, `gmm`). */
  readonly truth?: { readonly ppca?: PpcaParams; readonly gmm?: GmmParams };
}

type Loader = (options: DatasetLoadOptions, rng: Random) => LoadedDataset;

const LOADERS: { readonly [N in DatasetName]: Loader } = {
  mnist: (o) => loadMnist({ dir: o.dir }),
  'fashion-mnist': (o) => loadFashionMnist({ dir: o.dir }),
  dsprites: () => ({ train: dspritesDataset() }),
  ppca: (o, rng) => {
    const { d = 20, q = 4, sigma2 = 0.25 } = o.ppca ?? {};
    const params = randomPpcaParams(d, q, sigma2, rng);
    const n = o.n ?? 10_000;
    return {
      train: samplePpca(params, n, rng, 'ppca/train'),
      test: samplePpca(params, Math.max(1, Math.round(n / 5)), rng, 'ppca/test'),
      truth: { ppca: params },
    };
  },
  gmm: (o, rng) => {
    const n = o.n ?? 10_000;
    const { dataset, params } = gaussianMixture(rng, { n: n + Math.max(1, Math.round(n / 5)) });
    const parts = splitDataset(dataset, { test: Math.max(1, Math.round(n / 5)), from: 'end' });
    return { train: parts.train, test: parts.test, truth: { gmm: params } };
  },
  rings: (o, rng) => {
    const n = o.n ?? 10_000;
    return { train: rings(rng, { n }), test: rings(rng, { n: Math.max(1, Math.round(n / 5)) }) };
  },
  pinwheel: (o, rng) => {
    const n = o.n ?? 10_000;
    return { train: pinwheel(rng, { n }), test: pinwheel(rng, { n: Math.max(1, Math.round(n / 5)) }) };
  },
};

/** Whether `name` is a known dataset name. */
export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/**
 * Loads a dataset by name (`mnist`, `fashion-mnist`, `dsprites`, `ppca`, `gmm`, `rings`, `pinwheel`)
 * or by path (an IDX file raw or gzipped, `.npy`, `.csv`, or a folder of PNGs). Validation (and, for
 * sets without one, test) parts are views of the training data. Throws {@link DataError} with a
 * self-contained message on bad input.
 */
export function loadDataset(nameOrPath: string, options: DatasetLoadOptions = {}): LoadedDataset {
  const rng = new Random(options.seed ?? 0);
  const splitRng = rng.split();
  let loaded: LoadedDataset = isDatasetName(nameOrPath)
    ? LOADERS[nameOrPath](options, rng)
    : { train: readUserData(nameOrPath, { labels: options.labels, labelColumn: options.labelColumn }) };
  const wantTest = options.test !== undefined && options.test > 0 && loaded.test === undefined;
  const wantVal = options.validation !== undefined && options.validation > 0;
  if (wantVal || wantTest) {
    const from = options.splitFrom === 'random' ? splitRng : 'end';
    const parts = splitDataset(loaded.train as Source, { validation: options.validation, test: wantTest ? options.test : undefined, from });
    loaded = { ...loaded, train: parts.train, validation: parts.validation, test: parts.test ?? loaded.test };
  }
  return loaded;
}
