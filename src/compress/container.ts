/**
 * The compressed file: everything a decompressor needs to refuse what it cannot decode exactly.
 *
 *   bytes 0..7    magic "VAELABZ\x01"
 *   bytes 8..11   header length H (uint32 little-endian)
 *   bytes 12..15  CRC-32 of the header bytes
 *   bytes 16..    the header, H bytes: brotli-compressed UTF-8 JSON ({@link CompressedHeader})
 *   then          the payload, `payloadBytes` bytes (the rANS message as little-endian uint16 words)
 *
 * The header names the model (its config and a SHA-256 of its parameters), the vaelab version, the
 * coder's precisions and how the graphs were run (threads, batch shape), the data's shape, and
 * SHA-256 digests of the payload and of the original data, so a damaged or truncated file, or the
 * wrong model, is reported, and a decode that does not reproduce the data is never written out.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, crc32 } from 'node:zlib';
import { CompressError } from './errors.js';
import type { Precisions } from './vaeCoding.js';

const MAGIC = Buffer.from('VAELABZ\x01', 'latin1');
const PREAMBLE = 16;

/** What a compressed file says about itself. */
export interface CompressedHeader {
  /** 'lossless' (bits-back) or 'lossy' (quantised posterior means). */
  readonly mode: 'lossless' | 'lossy';
  /** The vaelab version that wrote the file. */
  readonly vaelab: string;
  /** The model: kind, decoder, latent size, networks, as in the run's config.json. */
  readonly model: Record<string, unknown>;
  /** SHA-256 of the model's parameters (names, shapes, float32 values) at compression time. */
  readonly parameters: string;
  /** The coder's precisions (lossless) or the bits per latent (lossy). */
  readonly precisions: Precisions | { readonly latentBits: number };
  /** How the graphs ran: onnxruntime threads and batch rows. */
  readonly graphs: { readonly threads: number; readonly batch: number };
  /** Seed of the initial bits (lossless). */
  readonly seed: number;
  /** Number of examples and the shape of each. */
  readonly count: number;
  readonly shape: readonly number[];
  /** How decoded symbols are stored: 'binary' (0/1 pixels, written as 0/255) or 'uint8' (grey levels). */
  readonly values: 'binary' | 'uint8';
  /** Size and SHA-256 of the payload. */
  readonly payloadBytes: number;
  readonly payloadSha256: string;
  /** SHA-256 of the original data symbols (lossless), checked after decoding. */
  readonly dataSha256: string | null;
  /** Lossy files: the latents coded, in order (the others decode as 0). */
  readonly active?: readonly number[];
  /** Rates measured at compression time, for the record. */
  readonly stats: Record<string, number>;
}

/** The hex SHA-256 of some bytes. */
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Writes header and payload as one file's bytes. */
export function packCompressed(header: Omit<CompressedHeader, 'payloadBytes' | 'payloadSha256'>, payload: Uint8Array): Uint8Array {
  const full: CompressedHeader = { ...header, payloadBytes: payload.length, payloadSha256: sha256(payload) };
  // Brotli halves the header (~800 → ~450 bytes), a fixed cost that matters for small files.
  const json = brotliCompressSync(Buffer.from(JSON.stringify(full), 'utf8'));
  const pre = Buffer.alloc(PREAMBLE);
  MAGIC.copy(pre, 0);
  pre.writeUInt32LE(json.length, 8);
  pre.writeUInt32LE(crc32(json), 12);
  return Buffer.concat([pre, json, payload]);
}

/** Reads and checks a compressed file's bytes; throws {@link CompressError} naming what is wrong. */
export function unpackCompressed(bytes: Uint8Array, file: string): { header: CompressedHeader; payload: Uint8Array } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < PREAMBLE || !buf.subarray(0, 8).equals(MAGIC)) {
    throw new CompressError(`${file} is not a vaelab compressed file (it does not start with the VAELABZ magic bytes)`);
  }
  const h = buf.readUInt32LE(8);
  if (buf.length < PREAMBLE + h)
    throw new CompressError(
      `${file} is truncated: its header needs ${h} bytes, the file holds ${buf.length - PREAMBLE} after the preamble`,
    );
  const json = buf.subarray(PREAMBLE, PREAMBLE + h);
  if (crc32(json) !== buf.readUInt32LE(12)) throw new CompressError(`${file} is corrupt: the header's CRC-32 does not match`);
  const header = JSON.parse(brotliDecompressSync(json).toString('utf8')) as CompressedHeader;
  const payload = buf.subarray(PREAMBLE + h);
  if (payload.length !== header.payloadBytes) {
    throw new CompressError(
      `${file} is ${payload.length < header.payloadBytes ? 'truncated' : 'longer than written'}: the header promises ${header.payloadBytes} payload bytes, the file holds ${payload.length}`,
    );
  }
  if (sha256(payload) !== header.payloadSha256)
    throw new CompressError(`${file} is corrupt: the payload's SHA-256 does not match the header`);
  return { header, payload };
}

/** Little-endian bytes of uint16 words. */
export function wordsToBytes(words: Uint16Array): Uint8Array {
  const out = Buffer.alloc(words.length * 2);
  for (let i = 0; i < words.length; i++) out.writeUInt16LE(words[i], i * 2);
  return out;
}

/** uint16 words of little-endian bytes (an even number of them). */
export function bytesToWords(bytes: Uint8Array, file: string): Uint16Array {
  if (bytes.length % 2 !== 0) throw new CompressError(`${file} is corrupt: its payload is not a whole number of 16-bit words`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Uint16Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt16LE(i * 2);
  return out;
}
