import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { encodeNpy, parseNpy } from './npy.js';

/** NPY bytes with a hand-written header (version 1.0). */
function npyWith(header: string, payload: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, header.length, true);
  else v.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, pre + header.length);
  return out;
}

describe('NPY', () => {
  it('round-trips uint8 and float32 in C order with 64-byte aligned headers', () => {
    const u8 = Uint8Array.from({ length: 12 }, (_, i) => 255 - i);
    const b = encodeNpy(u8, [3, 4]);
    expect((10 + new DataView(b.buffer).getUint16(8, true)) % 64).toBe(0);
    expect(parseNpy(b, 'a.npy')).toMatchObject({ descr: '|u1', shape: [3, 4] });
    expect(Array.from(parseNpy(b, 'a.npy').data)).toEqual(Array.from(u8));
    const f = Float32Array.from([1.5, -2, 0.125]);
    const p = parseNpy(encodeNpy(f, [3]), 'f.npy');
    expect(p.shape).toEqual([3]);
    expect(Array.from(p.data)).toEqual([1.5, -2, 0.125]);
  });

  it('reads versions 2.0/3.0, big-endian float32 and float64', () => {
    const le = new Uint8Array(new Float32Array([2.5, -1]).buffer);
    const v2 = npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", le, 2);
    expect(Array.from(parseNpy(v2, 'v2.npy').data)).toEqual([2.5, -1]);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 2.5, false);
    new DataView(be.buffer).setFloat32(4, -1, false);
    expect(Array.from(parseNpy(npyWith("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", be), 'b.npy').data)).toEqual([
      2.5, -1,
    ]);
    const f8 = new Uint8Array(new Float64Array([0.75]).buffer);
    expect(Array.from(parseNpy(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8), 'c.npy').data)).toEqual([0.75]);
  });

  it('rejects bad input naming the file, position and expectation', () => {
    const good = encodeNpy(new Uint8Array(6), [2, 3]);
    const bad = (m: (b: Uint8Array) => Uint8Array) => () => parseNpy(m(good.slice()), 'x.npy');
    expect(bad((b) => ((b[1] = 0x41), b))).toThrow(/^x\.npy \(byte 1\): not an NPY file: expected the magic/);
    expect(bad((b) => ((b[6] = 9), b))).toThrow(/\(byte 6\): unsupported NPY version: expected major version 1, 2 or 3, found 9/);
    expect(bad((b) => b.subarray(0, 40))).toThrow(
      /\(byte 8\): header length \d+ runs past the end of the file: expected at most 30 header bytes/,
    );
    expect(bad((b) => b.subarray(0, b.length - 1))).toThrow(
      /truncated: expected \d+ bytes in all as the header \('\|u1', shape \(2, 3\)\) promises, found \d+/,
    );
    expect(() => parseNpy(npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new Uint8Array(4)), 'fo.npy')).toThrow(
      /fo\.npy \(header at byte 10\): expected C order/,
    );
    expect(() => parseNpy(npyWith("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)), 'c.npy')).toThrow(
      /unsupported dtype '<c16': expected uint8 \('\|u1'\) or float32 \('<f4'\)/,
    );
    expect(() => parseNpy(npyWith("{'descr': '<f4', 'shape': (1,), }", new Uint8Array(4)), 'm.npy')).toThrow(/malformed NPY header/);
    expect(() => parseNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", new Uint8Array(4)), 's.npy')).toThrow(
      /malformed shape .*found 'x'/,
    );
    const nan = encodeNpy(Float32Array.from([0, 1, Number.NaN]), [3]);
    expect(() => parseNpy(nan, 'nan.npy')).toThrow(/nan\.npy \(byte \d+, element 2\): expected a finite number, found NaN/);
    expect(() => parseNpy(nan, 'nan.npy')).toThrow(DataError);
  });
});
