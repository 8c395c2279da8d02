/**
 * The data layer's core types. A {@link Dataset} holds all its examples in ONE contiguous buffer,
 * row-major `[n, ...shape]`; a {@link GeneratedDataset} makes each example on demand (dSprites); a
 * {@link Subset} is a list of indices into either (splits are views, never copies). All three are a
 * {@link Source}, which is what {@link batches} and the rest of vaelab consume.
 */

/**
 * How to read the stored values:
 * - `'uint8'`: integers 0..255 in a Uint8Array (grey level = x / 255), e.g. MNIST;
 * - `'binary'`: 0 or 1 in a Uint8Array, e.g. dSprites or a statically binarized set;
 * - `'unit'`: floats in [0, 1] (a probability per pixel);
 * - `'real'`: any finite float (pPCA, mixtures, 2-D toy sets); only `'raw'` preprocessing applies.
 */
export type ValueRange = 'uint8' | 'binary' | 'unit' | 'real';

/** What every source has: a name, the per-example shape, the count and the value range. */
export interface SourceInfo {
  /** A human-readable name (`mnist/train`, a file path, ...). */
  readonly name: string;
  /** Per-example shape, e.g. `[1, 28, 28]` for greyscale images (channels first) or `[2]` for points. */
  readonly shape: readonly number[];
  /** Number of examples. */
  readonly n: number;
  /** How stored values map to model inputs. */
  readonly range: ValueRange;
  /** Class names by label value, where known (`['0', ..., '9']`, `['T-shirt/top', ...]`). */
  readonly labelNames?: readonly string[];
}

/** A dataset held in memory as one contiguous buffer of `n * prod(shape)` values. */
export interface Dataset extends SourceInfo {
  readonly kind: 'array';
  /** All examples, row-major `[n, ...shape]`. Uint8Array for `'uint8'`/`'binary'`, else Float32Array. */
  readonly data: Uint8Array | Float32Array;
  /** One label per example, if the set has labels. */
  readonly labels?: Int32Array | Uint8Array;
}

/** A dataset whose examples are generated on demand (never all in memory). Values are `'binary'` 0/1. */
export interface GeneratedDataset extends SourceInfo {
  readonly kind: 'generated';
  /** Writes example `index` (`prod(shape)` bytes) into `out` starting at `offset`. */
  generate(index: number, out: Uint8Array, offset: number): void;
  /** The label (a class) of example `index`, if the set has labels. */
  label?(index: number): number;
}

/** A view of a dataset: the examples `indices` of `base`, in that order. No example data is copied. */
export interface Subset extends SourceInfo {
  readonly kind: 'subset';
  readonly base: Dataset | GeneratedDataset;
  /** Indices into `base`; `n === indices.length`. */
  readonly indices: Uint32Array;
}

/** Anything examples can be drawn from. */
export type Source = Dataset | GeneratedDataset | Subset;

/** The splits a loader returns. `validation` and `test` are absent when the set has none. */
export interface Splits {
  readonly train: Source;
  readonly validation?: Source;
  readonly test?: Source;
}

/** Number of values in one example: the product of `shape`. */
export function exampleSize(source: SourceInfo): number {
  let size = 1;
  for (const d of source.shape) size *= d;
  return size;
}

/** Makes a {@link Dataset}, checking that the buffer and labels have the sizes the shape promises. */
export function makeDataset(fields: Omit<Dataset, 'kind'>): Dataset {
  const ds: Dataset = { kind: 'array', ...fields };
  const size = exampleSize(ds);
  if (ds.data.length !== ds.n * size) {
    throw new Error(`makeDataset(${ds.name}): data has ${ds.data.length} values, expected n * prod(shape) = ${ds.n} * ${size}`);
  }
  if (ds.labels && ds.labels.length !== ds.n) {
    throw new Error(`makeDataset(${ds.name}): ${ds.labels.length} labels for ${ds.n} examples`);
  }
  if ((ds.range === 'uint8' || ds.range === 'binary') !== ds.data instanceof Uint8Array) {
    throw new Error(`makeDataset(${ds.name}): range '${ds.range}' does not match a ${ds.data.constructor.name}`);
  }
  return ds;
}

/** A view of `indices` of `source` (indices of a subset are mapped through to its base). */
export function subset(source: Source, indices: Uint32Array, name?: string): Subset {
  const base = source.kind === 'subset' ? source.base : source;
  let mapped = indices;
  if (source.kind === 'subset') {
    mapped = new Uint32Array(indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = source.indices[indices[i]];
  }
  for (let i = 0; i < mapped.length; i++) {
    if (mapped[i] >= base.n) throw new RangeError(`subset(${base.name}): index ${mapped[i]} out of range [0, ${base.n})`);
  }
  return {
    kind: 'subset',
    name: name ?? source.name,
    shape: base.shape,
    n: mapped.length,
    range: base.range,
    labelNames: base.labelNames,
    base,
    indices: mapped,
  };
}

/** The consecutive indices `start, ..., end - 1`. */
export function range(start: number, end: number): Uint32Array {
  const r = new Uint32Array(Math.max(0, end - start));
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}

/** The label of example `i` of `source`, or undefined when the source has no labels. */
export function labelOf(source: Source, i: number): number | undefined {
  const base = source.kind === 'subset' ? source.base : source;
  const j = source.kind === 'subset' ? source.indices[i] : i;
  if (base.kind === 'array') return base.labels?.[j];
  return base.label?.(j);
}

/** Whether `source` carries labels. */
export function hasLabels(source: Source): boolean {
  const base = source.kind === 'subset' ? source.base : source;
  return base.kind === 'array' ? base.labels !== undefined : base.label !== undefined;
}
