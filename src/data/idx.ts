/**
 * IDX files (LeCun's MNIST format), raw or gzipped.
 *
 * Layout (http://yann.lecun.com/exdb/mnist/): bytes 0-1 are zero; byte 2 is the element type
 * (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64); byte 3 is the number
 * of dimensions k; then k big-endian uint32 sizes; then the elements, big-endian, row-major.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError, describeNumber, hex } from './errors.js';

/** The element types an IDX file may hold, by their type byte. */
const IDX_TYPES = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
} as const;

/** The element type names an IDX file may declare. */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** A decoded IDX array. uint8 data is a view into the file's bytes; every other type becomes float32. */
export interface IdxArray {
  /** The element type declared in the header. */
  readonly type: IdxType;
  /** All dimensions, the first being the number of examples (or items). */
  readonly dims: readonly number[];
  readonly data: Uint8Array | Float32Array;
}

/** The most elements we accept in one file (2^31 - 1, the largest typed array index). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Parses IDX bytes, validating the whole header against the file length. Float data is checked for
 * NaN and infinities. Throws {@link DataError} naming `file`, the byte offset and what was expected.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new DataError(file, `byte ${bytes.length}`, `truncated IDX header: expected at least 4 bytes, found ${bytes.length}`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    throw new DataError(file, 'byte 0', `not an IDX file: expected magic 0x0000TTDD (two zero bytes), found ${hex(magic, 8)}`);
  }
  const typeByte = bytes[2];
  const type = IDX_TYPES[typeByte as keyof typeof IDX_TYPES];
  if (!type) {
    throw new DataError(
      file,
      'byte 2',
      `unknown IDX element type: expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, found ${hex(typeByte)}`,
    );
  }
  const k = bytes[3];
  if (k < 1) throw new DataError(file, 'byte 3', 'expected at least 1 dimension, found 0');
  const headerBytes = 4 + 4 * k;
  if (bytes.length < headerBytes) {
    throw new DataError(
      file,
      `byte ${bytes.length}`,
      `truncated IDX header: ${k} dimensions, expected ${headerBytes} header bytes, found ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < k; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (count > MAX_ELEMENTS) {
    throw new DataError(file, 'byte 4', `expected at most ${MAX_ELEMENTS} elements, found a header promising ${dims.join('x')} = ${count}`);
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw new DataError(
      file,
      `byte ${Math.min(bytes.length, expected)}`,
      `${what}: expected ${expected} bytes in all as the header (${type.name}, dims ${dims.join('x')}) promises, found ${bytes.length}`,
    );
  }
  if (type.name === 'uint8') {
    return { type: type.name, dims, data: bytes.subarray(headerBytes, expected) };
  }
  const out = new Float32Array(count);
  const readers: Record<Exclude<IdxType, 'uint8'>, (offset: number) => number> = {
    int8: (o) => view.getInt8(o),
    int16: (o) => view.getInt16(o, false),
    int32: (o) => view.getInt32(o, false),
    float32: (o) => view.getFloat32(o, false),
    float64: (o) => view.getFloat64(o, false),
  };
  const read = readers[type.name];
  for (let i = 0; i < count; i++) {
    const v = read(headerBytes + i * type.bytes);
    if (!Number.isFinite(v)) {
      throw new DataError(
        file,
        `byte ${headerBytes + i * type.bytes}, element ${i}`,
        `expected a finite ${type.name}, found ${describeNumber(v)}`,
      );
    }
    out[i] = v;
  }
  return { type: type.name, dims, data: out };
}

/** Whether bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a file, gunzipping it when it is gzip (by content, whatever its name). */
export function readMaybeGzip(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new DataError(path, '', `cannot read file: ${(e as Error).message}`);
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isGzip(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DataError(path, '', `corrupt gzip stream, expected a complete gzip file: ${(e as Error).message}`);
  }
}

/** Reads and parses an IDX file (raw or gzipped). Throws {@link DataError} on any problem. */
export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path);
}

/**
 * Encodes an array as IDX bytes (uint8 for a Uint8Array, float32 otherwise), e.g. to export codes or
 * to write test files.
 */
export function encodeIdx(data: Uint8Array | Float32Array, dims: readonly number[]): Uint8Array {
  const k = dims.length;
  const elementBytes = data instanceof Uint8Array ? 1 : 4;
  const out = new Uint8Array(4 + 4 * k + data.length * elementBytes);
  const view = new DataView(out.buffer);
  out[2] = data instanceof Uint8Array ? 0x08 : 0x0d;
  out[3] = k;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const start = 4 + 4 * k;
  if (data instanceof Uint8Array) out.set(data, start);
  else for (let i = 0; i < data.length; i++) view.setFloat32(start + 4 * i, data[i], false);
  return out;
}
