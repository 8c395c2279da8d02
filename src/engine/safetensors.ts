/**
 * safetensors files (https://huggingface.co/docs/safetensors), the data files of a checkpoint: an 8-byte
 * little-endian header length N, N bytes of JSON `{ name: { "dtype": "F32", "shape": [...], "data_offsets":
 * [begin, end] }, "__metadata__": { string: string } }` (space-padded to a multiple of 8), then the raw
 * little-endian data. Apart from checkpoint.ts (which adds files) so the browser can write them too.
 */
import { UserError } from './errors.js';

/** A float32 array with its shape. */
export interface TensorValue {
  shape: readonly number[];
  data: Float32Array;
}

/** Named tensors, stored together in one safetensors file. */
export type TensorGroup = Record<string, TensorValue>;

/** A checkpoint or safetensors file that cannot be read; the message names the file (and tensor). */
export class CheckpointError extends UserError {
  override name = 'CheckpointError';
}

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;

// ---------------------------------------------------------------------------------------------
// safetensors

/**
 * Serialises float32 tensors as a safetensors file (tensors in name order, header padded to 8
 * bytes). `metadata` goes to the header's `__metadata__` (string values only, per the format).
 */
export function writeSafetensors(tensors: TensorGroup, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors[name];
    if (data.length !== sizeOf(shape)) throw new CheckpointError(`tensor '${name}': ${data.length} values do not fill shape ${fmt(shape)}`);
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * data.length] };
    offset += 4 * data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const { data } = tensors[name];
    if (LE) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    else {
      const view = new DataView(out.buffer, at, data.byteLength);
      data.forEach((v, i) => view.setFloat32(4 * i, v, true));
    }
    at += data.byteLength;
  }
  return out;
}

/**
 * Parses a safetensors file holding float32 tensors. Validates the header (length, JSON, dtypes,
 * shapes, offsets that tile the data exactly) and throws a CheckpointError naming `file` and the
 * tensor at fault. Returned arrays are copies.
 */
export function readSafetensors(bytes: Uint8Array, file = 'safetensors'): { tensors: TensorGroup; metadata: Record<string, string> } {
  const bad = (msg: string): never => {
    throw new CheckpointError(`${file}: ${msg}`);
  };
  if (bytes.length < 8) bad(`file is ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8) || n > 100_000_000n)
    bad(`header length ${n} exceeds the file (${bytes.length} bytes): truncated or not safetensors`);
  const start = 8 + Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(n)))) as Record<string, unknown>;
  } catch (e) {
    return bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad('header is not a JSON object');
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const dataLength = bytes.length - start;
  const spans: Array<[number, number, string]> = [];
  const tensors: TensorGroup = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32') bad(`tensor '${name}' has dtype ${String(e.dtype)}; only F32 is supported`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor '${name}' has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0)) {
      bad(`tensor '${name}' has invalid data_offsets`);
    }
    const [b, end] = offsets as [number, number];
    const dims = shape as number[];
    if (end - b !== 4 * sizeOf(dims)) bad(`tensor '${name}' spans ${end - b} bytes but shape ${fmt(dims)} needs ${4 * sizeOf(dims)}`);
    if (end > dataLength) bad(`tensor '${name}' ends at byte ${end} past the data (${dataLength} bytes): file truncated`);
    spans.push([b, end, name]);
    const copy = new Uint8Array(end - b);
    copy.set(bytes.subarray(start + b, start + end));
    let data = new Float32Array(copy.buffer);
    if (!LE) {
      const dv = new DataView(copy.buffer);
      data = Float32Array.from({ length: copy.length / 4 }, (_, i) => dv.getFloat32(4 * i, true));
    }
    tensors[name] = { shape: dims, data };
  }
  spans.sort((p, q) => p[0] - q[0]);
  let at = 0;
  for (const [b, end, name] of spans) {
    if (b !== at) bad(`tensor '${name}' starts at byte ${b}, expected ${at} (overlap or hole in the data)`);
    at = end;
  }
  if (at !== dataLength) bad(`data section has ${dataLength} bytes, tensors cover ${at}`);
  return { tensors, metadata };
}
