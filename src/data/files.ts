/**
 * The user's own data: an IDX file (raw or gzipped), an NPY file, a CSV file or a folder of PNGs,
 * with optional labels from a second file. Shapes and dtypes are checked and reported in errors.
 */
import { statSync } from 'node:fs';
import { readCsv, type CsvOptions } from './csv.js';
import { makeDataset, type Dataset, type ValueRange } from './dataset.js';
import { DataError } from './errors.js';
import { readIdx, readMaybeGzip } from './idx.js';
import { parseNpy } from './npy.js';
import { readPngFolder } from './png-folder.js';

/** The kinds of user file we read, as decided by {@link detectFormat}. */
export type FileFormat = 'idx' | 'npy' | 'csv' | 'png-folder';

/** Options for {@link readUserData}. */
export interface UserDataOptions extends CsvOptions {
  /** A file of labels, one per example (IDX, NPY or one-column CSV of non-negative integers). */
  readonly labels?: string;
}

/**
 * Decides a path's format: a directory is a PNG folder; otherwise by extension (`.npy`, `.csv`,
 * `.txt`, `.tsv`, `.idx`, `.idx.gz`, `-ubyte`, `-ubyte.gz`, `.idx3`, ...).
 */
export function detectFormat(path: string): FileFormat {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new DataError(
      path,
      '',
      'no such file or folder (expected a dataset name: mnist, fashion-mnist, dsprites, ppca, gmm, rings, pinwheel; or a path to an IDX, NPY or CSV file or a folder of PNGs)',
    );
  }
  if (isDir) return 'png-folder';
  const lower = path.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.npy')) return 'npy';
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (/(\.idx\d?|-ubyte|\.idx\d-ubyte)$/.test(lower) || /-idx\d-ubyte$/.test(lower)) return 'idx';
  throw new DataError(path, '', 'unknown file type: expected .idx, .idx.gz, *-ubyte(.gz), .npy, .csv, or a folder of .png images');
}

/**
 * Turns a decoded array (first dimension = examples) into a {@link Dataset}. A per-example rank-2
 * shape `[H, W]` is taken as a greyscale image and becomes `[1, H, W]`. uint8 data has range
 * `'uint8'`; float data `'unit'` when all values lie in [0, 1], else `'real'`.
 */
export function arrayToDataset(name: string, dims: readonly number[], data: Uint8Array | Float32Array): Dataset {
  if (dims.length < 2) {
    throw new DataError(name, '', `expected at least 2 dimensions (examples x features), found shape (${dims.join(', ')})`);
  }
  let shape = dims.slice(1);
  if (shape.length === 2) shape = [1, ...shape];
  let range: ValueRange = 'uint8';
  if (data instanceof Float32Array) {
    range = 'unit';
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 0 || data[i] > 1) {
        range = 'real';
        break;
      }
    }
  }
  return makeDataset({ name, shape, n: dims[0], range, data });
}

/** Reads an IDX, NPY, CSV file or PNG folder as a {@link Dataset}, with labels from `options.labels`. */
export function readUserData(path: string, options: UserDataOptions = {}): Dataset {
  const format = detectFormat(path);
  let ds: Dataset;
  switch (format) {
    case 'idx': {
      const a = readIdx(path);
      ds = arrayToDataset(path, a.dims, a.data);
      break;
    }
    case 'npy': {
      const a = parseNpy(readMaybeGzip(path), path);
      ds = arrayToDataset(path, a.shape, a.data);
      break;
    }
    case 'csv':
      ds = readCsv(path, options);
      break;
    case 'png-folder':
      ds = readPngFolder(path);
      break;
  }
  if (options.labels === undefined) return ds;
  const labels = readLabels(options.labels);
  if (labels.length !== ds.n) {
    throw new DataError(options.labels, '', `expected ${ds.n} labels (one per example of ${path}), found ${labels.length}`);
  }
  return { ...ds, labels };
}

/**
 * Reads a labels file: an IDX or NPY vector or a one-column CSV of non-negative integers
 * (anything of shape `[n]` or `[n, 1]`).
 */
export function readLabels(path: string): Int32Array {
  const format = detectFormat(path);
  let dims: readonly number[];
  let data: Uint8Array | Float32Array;
  if (format === 'idx') ({ dims, data } = readIdx(path));
  else if (format === 'npy') ({ shape: dims, data } = parseNpy(readMaybeGzip(path), path));
  else if (format === 'csv') {
    const csv = readCsv(path);
    dims = [csv.n, ...csv.shape];
    data = csv.data;
  } else throw new DataError(path, '', 'expected a labels file (IDX, NPY or CSV), found a folder');
  if (dims.length > 2 || (dims.length === 2 && dims[1] !== 1)) {
    throw new DataError(path, '', `expected labels of shape (n) or (n, 1), found (${dims.join(', ')})`);
  }
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < 0) throw new DataError(path, `element ${i}`, `expected a non-negative integer label, found ${v}`);
    out[i] = v;
  }
  return out;
}
