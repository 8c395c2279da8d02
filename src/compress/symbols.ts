/**
 * The discrete data a model codes: pixels as symbols (0/1 for a Bernoulli decoder, grey levels 0..255
 * for a discretised logistic), one contiguous Uint8Array of `count × prod(shape)` values.
 */
import { createHash } from 'node:crypto';
import { Random } from '../engine/random.js';
import { exampleSize, makeDataset, range, type Dataset, type Source } from '../data/dataset.js';
import { staticBinarize, toBatch } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { CompressError } from './errors.js';
import type { CodableDecoder } from './vaeCoding.js';

/** Examples as symbols. */
export interface Symbols {
  readonly count: number;
  readonly shape: readonly number[];
  /** 'binary': 0/1; 'uint8': 0..255. */
  readonly values: 'binary' | 'uint8';
  readonly data: Uint8Array;
}

/** The stored values of `source`, all examples, as one Dataset (copies only what a subset selects). */
function materialise(source: Source): Dataset {
  if (source.kind === 'array') return source;
  const D = exampleSize(source);
  const raw = toBatch(source, range(0, source.n), { preprocess: 'raw' });
  const data = source.range === 'uint8' || source.range === 'binary' ? Uint8Array.from(raw) : raw;
  return makeDataset({ name: source.name, shape: source.shape, n: source.n, range: source.range, data: data.subarray(0, source.n * D) });
}

/**
 * The symbols a decoder codes for `source`: for 'bernoulli', binary data as is and grey data by ONE
 * seeded Bernoulli(grey level) draw per pixel (static binarization, seed `seed`); for
 * 'discretized-logistic' and 'beta-binomial', 8-bit grey levels (binary data as 0/255).
 */
export function symbolsFor(source: Source, decoder: CodableDecoder, seed: number): Symbols {
  if (source.range === 'real')
    throw new CompressError(`${source.name} holds real values: lossless compression codes binary or 8-bit images`);
  const ds = materialise(source);
  if (decoder === 'bernoulli') {
    const bin = ds.range === 'binary' ? ds : staticBinarize(ds, new Random(seed));
    return { count: ds.n, shape: ds.shape, values: 'binary', data: bin.data as Uint8Array };
  }
  if (ds.range === 'unit')
    throw new CompressError(`${source.name} holds values in [0, 1], not 8-bit grey levels: grey-level decoders code 0..255`);
  const data = ds.range === 'binary' ? (ds.data as Uint8Array).map((v) => v * 255) : (ds.data as Uint8Array);
  return { count: ds.n, shape: ds.shape, values: 'uint8', data };
}

/** The symbols as a dataset (for evaluating the model on exactly what was coded). */
export function symbolsDataset(s: Symbols, name: string): Dataset {
  return makeDataset({ name, shape: s.shape, n: s.count, range: s.values, data: s.data });
}

/** Stored bytes of decoded symbols: binary pixels as 0/255 so that the file reads back as the same images. */
export function symbolsToBytes(s: Symbols): Uint8Array {
  return s.values === 'binary' ? s.data.map((v) => v * 255) : s.data;
}

/** SHA-256 of a model's parameters (sorted names, shapes and float32 values): which weights coded a file. */
export function parameterDigest(model: LatentVariableModel): string {
  const h = createHash('sha256');
  const params = [...model.store.all()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of params) {
    h.update(`${p.name}[${p.shape.join(',')}]`);
    h.update(new Uint8Array(p.value.buffer, p.value.byteOffset, p.value.byteLength));
  }
  return h.digest('hex');
}
