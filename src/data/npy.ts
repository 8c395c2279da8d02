/**
 * NumPy `.npy` files (format versions 1.0, 2.0, 3.0), C order, dtypes uint8 and float32 (float64
 * and small integer types are read too and converted to float32).
 *
 * Layout (numpy/lib/format.py): magic `\x93NUMPY`, major and minor version bytes, header length
 * (uint16 LE in 1.0, uint32 LE in 2.0/3.0), then an ASCII Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }` padded with spaces and `\n`.
 */
import { DataError, describeNumber } from './errors.js';

/** A decoded NPY array: uint8 stays uint8, every other supported dtype becomes float32. */
export interface NpyArray {
  /** The dtype descriptor as written, e.g. `|u1`, `<f4`. */
  readonly descr: string;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_ELEMENTS = 2 ** 31 - 1;

interface Dtype {
  readonly bytes: number;
  readonly read: (view: DataView, offset: number, little: boolean) => number;
}
const DTYPES: Record<string, Dtype> = {
  u1: { bytes: 1, read: (v, o) => v.getUint8(o) },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  i2: { bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  u2: { bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  i4: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  f4: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
};

/** Parses NPY bytes. Throws {@link DataError} naming `file`, the byte offset and what was expected. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new DataError(
        file,
        `byte ${i}`,
        `not an NPY file: expected the magic "\\x93NUMPY", found ${JSON.stringify(ascii(bytes.subarray(0, 6)))}`,
      );
    }
  }
  if (bytes.length < 10)
    throw new DataError(file, `byte ${bytes.length}`, `truncated NPY preamble: expected at least 10 bytes, found ${bytes.length}`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError(file, `byte ${bytes.length}`, 'truncated NPY preamble: expected 12 bytes for version 2/3');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataError(file, 'byte 6', `unsupported NPY version: expected major version 1, 2 or 3, found ${major}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    throw new DataError(
      file,
      `byte ${headerStart - 2}`,
      `header length ${headerLen} runs past the end of the file: expected at most ${bytes.length - headerStart} header bytes`,
    );
  }
  const header = ascii(bytes.subarray(headerStart, dataStart));
  const at = `header at byte ${headerStart}`;
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError(
      file,
      at,
      `malformed NPY header: expected a dict with 'descr', 'fortran_order' and 'shape', found ${JSON.stringify(header.trim().slice(0, 120))}`,
    );
  }
  if (fortran === 'True')
    throw new DataError(file, at, "expected C order ('fortran_order': False), found Fortran order; save with np.ascontiguousarray");
  const m = /^([<>|=]?)([a-z]\d+)$/.exec(descr);
  const dtype = m ? DTYPES[m[2]] : undefined;
  if (!m || !dtype) {
    throw new DataError(
      file,
      at,
      `unsupported dtype '${descr}': expected uint8 ('|u1') or float32 ('<f4') (also read: i1, i2, u2, i4, f8)`,
    );
  }
  const little = m[1] !== '>';
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const shape: number[] = [];
  for (const p of parts) {
    if (!/^\d+L?$/.test(p)) throw new DataError(file, at, `malformed shape (${shapeText}): expected non-negative integers, found '${p}'`);
    shape.push(Number.parseInt(p, 10));
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count) || count > MAX_ELEMENTS) {
    throw new DataError(file, at, `expected at most ${MAX_ELEMENTS} elements, found shape (${shape.join(', ')}) = ${count}`);
  }
  const expected = dataStart + count * dtype.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw new DataError(
      file,
      `byte ${Math.min(bytes.length, expected)}`,
      `${what}: expected ${expected} bytes in all as the header ('${descr}', shape (${shape.join(', ')})) promises, found ${bytes.length}`,
    );
  }
  if (m[2] === 'u1') return { descr, shape, data: bytes.subarray(dataStart, expected) };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = dataStart + i * dtype.bytes;
    const v = dtype.read(view, o, little);
    if (!Number.isFinite(v)) throw new DataError(file, `byte ${o}, element ${i}`, `expected a finite number, found ${describeNumber(v)}`);
    out[i] = v;
  }
  return { descr, shape, data: out };
}

/** Encodes a uint8 or float32 array as NPY version 1.0 bytes (C order, little-endian). */
export function encodeNpy(data: Uint8Array | Float32Array, shape: readonly number[]): Uint8Array {
  const descr = data instanceof Uint8Array ? '|u1' : '<f4';
  const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

function ascii(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
