/**
 * Deterministic fuzzing of the binary readers: thousands of mutated IDX, NPY and PNG files, each of
 * which must be either read consistently or rejected with a {@link DataError} naming the file.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { DataError } from './errors.js';
import { encodeIdx, parseIdx } from './idx.js';
import { encodeNpy, parseNpy } from './npy.js';
import { decodePng, encodePng } from './png-folder.js';

/** Applies 1-3 random mutations, mostly within the first `headerBytes` bytes. */
function mutate(seed: Uint8Array, headerBytes: number, rng: Random): Uint8Array {
  let b = seed.slice();
  const k = 1 + rng.int(3);
  for (let m = 0; m < k; m++) {
    const at = rng.int(Math.min(headerBytes, b.length) || 1);
    switch (rng.int(7)) {
      case 0: // random byte
        b[at] = rng.int(256);
        break;
      case 1: // flip one bit
        b[at] ^= 1 << rng.int(8);
        break;
      case 2: // interesting values
        b[at] = [0, 1, 0x7f, 0x80, 0xff][rng.int(5)];
        break;
      case 3: // truncate
        b = b.slice(0, rng.int(b.length + 1));
        break;
      case 4: // append junk
        b = Uint8Array.from([...b, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))]);
        break;
      case 5: // delete a byte in the header
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
        break;
      default: // insert a byte in the header
        b = Uint8Array.from([...b.subarray(0, at), rng.int(256), ...b.subarray(at)]);
    }
  }
  return b;
}

/** Runs `read` on `count` mutations of the seeds; returns how many were accepted and rejected. */
function fuzz(
  seeds: Uint8Array[],
  headerBytes: (seed: Uint8Array) => number,
  count: number,
  read: (bytes: Uint8Array, file: string) => void,
): { accepted: number; rejected: number } {
  const rng = new Random(20261122);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const seed = seeds[rng.int(seeds.length)];
    const bytes = mutate(seed, headerBytes(seed), rng);
    const file = `fuzz/case-${i}.bin`;
    try {
      read(bytes, file);
      accepted++;
    } catch (e) {
      if (!(e instanceof DataError) || !e.message.startsWith(file) || !/expected/.test(e.message)) {
        throw new Error(`case ${i} (bytes ${Array.from(bytes.subarray(0, 40)).join(',')}): unexpected ${String(e)}`);
      }
      rejected++;
    }
  }
  return { accepted, rejected };
}

const rng = new Random(1);
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

describe('fuzzing mutated headers', () => {
  it('IDX: every mutation is read consistently or rejected with a DataError', () => {
    const seeds = [
      encodeIdx(
        Uint8Array.from({ length: 3 * 4 * 5 }, () => rng.int(256)),
        [3, 4, 5],
      ),
      encodeIdx(
        Uint8Array.from({ length: 7 }, () => rng.int(10)),
        [7],
      ),
      encodeIdx(rng.fillNormal(new Float32Array(6 * 2)), [6, 2]),
    ];
    const r = fuzz(
      seeds,
      (s) => 4 + 4 * s[3] + 4,
      4000,
      (bytes, file) => {
        const a = parseIdx(bytes, file);
        expect(a.data.length).toBe(product(a.dims));
        if (a.data instanceof Float32Array) for (const v of a.data) expect(Number.isFinite(v)).toBe(true);
      },
    );
    expect(r.accepted + r.rejected).toBe(4000);
    expect(r.rejected).toBeGreaterThan(1000);
  });

  it('NPY: every mutation is read consistently or rejected with a DataError', () => {
    const seeds = [
      encodeNpy(
        Uint8Array.from({ length: 4 * 6 }, () => rng.int(256)),
        [4, 6],
      ),
      encodeNpy(rng.fillNormal(new Float32Array(10)), [10]),
      encodeNpy(rng.fillUniform(new Float32Array(2 * 3 * 2)), [2, 3, 2]),
    ];
    const r = fuzz(
      seeds,
      () => 64,
      4000,
      (bytes, file) => {
        const a = parseNpy(bytes, file);
        expect(a.data.length).toBe(product(a.shape));
      },
    );
    expect(r.accepted + r.rejected).toBe(4000);
    expect(r.rejected).toBeGreaterThan(1000);
  });

  it('PNG: every mutation is decoded consistently or rejected with a DataError', () => {
    const seeds = [
      encodePng(
        Uint8Array.from({ length: 8 * 6 }, () => rng.int(256)),
        8,
        6,
      ),
      encodePng(
        Uint8Array.from({ length: 5 * 5 * 3 }, () => rng.int(256)),
        5,
        5,
        3,
      ),
    ];
    const r = fuzz(
      seeds,
      (s) => s.length,
      2500,
      (bytes, file) => {
        const p = decodePng(bytes, file);
        expect(p.rgba.length).toBe(p.width * p.height * 4);
      },
    );
    expect(r.accepted + r.rejected).toBe(2500);
    expect(r.rejected).toBeGreaterThan(1000);
  });
});
