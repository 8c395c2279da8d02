import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import {
  DSPRITES_FACTORS,
  DSPRITES_N,
  DSPRITES_SIZES,
  dspritesDataset,
  dspritesFactorMatrix,
  dspritesFactors,
  dspritesImage,
  dspritesIndex,
  dspritesValues,
  renderSprite,
  type DspritesValues,
} from './dsprites.js';
import { decodePng, encodePng } from './png-folder.js';
import { tempDir } from './test-util.js';

const S = 64;
function moments(img: Uint8Array): { area: number; cx: number; cy: number } {
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < S; r++) {
    for (let c = 0; c < S; c++) {
      if (img[r * S + c]) {
        area++;
        sx += c + 0.5;
        sy += r + 0.5;
      }
    }
  }
  return { area, cx: sx / area, cy: sy / area };
}
const sprite = (v: Partial<DspritesValues>): Uint8Array =>
  renderSprite({ shape: 'square', scale: 1, orientation: 0, posX: 0.5, posY: 0.5, ...v });
const mirrorLR = (img: Uint8Array): Uint8Array => img.map((_, i) => img[Math.floor(i / S) * S + (S - 1 - (i % S))]);
const diff = (a: Uint8Array, b: Uint8Array): number => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);

describe('dSprites', () => {
  it('index <-> factors round-trips for every image and every factor value', () => {
    expect(DSPRITES_N).toBe(3 * 6 * 40 * 32 * 32);
    const seen = Object.fromEntries(DSPRITES_FACTORS.map((f) => [f, new Set<number>()]));
    for (let i = 0; i < DSPRITES_N; i++) {
      const f = dspritesFactors(i);
      if (dspritesIndex(f) !== i) throw new Error(`round trip failed at ${i}`);
      for (const name of DSPRITES_FACTORS) seen[name].add(f[name]);
    }
    for (const name of DSPRITES_FACTORS) expect(seen[name].size).toBe(DSPRITES_SIZES[name]);
    // posY is fastest, shape slowest, as in the original npz.
    expect(dspritesFactors(1)).toEqual({ shape: 0, scale: 0, orientation: 0, posX: 0, posY: 1 });
    expect(dspritesFactors(245760)).toEqual({ shape: 1, scale: 0, orientation: 0, posX: 0, posY: 0 });
    expect(() => dspritesIndex({ shape: 3, scale: 0, orientation: 0, posX: 0, posY: 0 })).toThrow(/shape = 3 outside \[0, 3\)/);
    expect(() => dspritesFactors(DSPRITES_N)).toThrow(RangeError);
    expect(Array.from(dspritesFactorMatrix([DSPRITES_N - 1]))).toEqual([2, 5, 39, 31, 31]);
  });

  it('has the original factor values', () => {
    const first = dspritesValues(0);
    const last = dspritesValues(DSPRITES_N - 1);
    expect(first).toEqual({ shape: 'square', scale: 0.5, orientation: 0, posX: 0, posY: 0 });
    expect(last.shape).toBe('heart');
    expect(last.scale).toBeCloseTo(1, 12);
    expect(last.orientation).toBeCloseTo(2 * Math.PI, 12);
    expect(last.posX).toBeCloseTo(1, 12);
    expect(dspritesValues({ shape: 1, scale: 1, orientation: 0, posX: 0, posY: 0 }).scale).toBeCloseTo(0.6, 12);
  });

  it('draws the shapes right: areas, ordering, symmetry, centroid, rotation', () => {
    // Areas at scale 1 (radius 10 px): square side 10 sqrt 2 -> 200; ellipse 10 x 5 -> 157.
    expect(moments(sprite({ shape: 'square' })).area).toBe(196); // 14 x 14 pixel centres inside
    expect(Math.abs(moments(sprite({ shape: 'ellipse' })).area - 50 * Math.PI)).toBeLessThan(6);
    const heartArea = moments(sprite({ shape: 'heart' })).area;
    expect(heartArea).toBeGreaterThan(150); // inside the 10 px disc (314), bigger than the ellipse
    expect(heartArea).toBeLessThan(260);
    for (const shape of ['square', 'ellipse', 'heart'] as const) {
      // Area grows with scale, roughly as scale^2.
      const areas = [0, 1, 2, 3, 4, 5].map(
        (s) =>
          moments(
            dspritesImage(
              dspritesIndex({ shape: ['square', 'ellipse', 'heart'].indexOf(shape), scale: s, orientation: 0, posX: 16, posY: 16 }),
            ),
          ).area,
      );
      for (let s = 1; s < 6; s++) expect(areas[s]).toBeGreaterThan(areas[s - 1]);
      expect(areas[5] / areas[0]).toBeGreaterThan(3.3);
      expect(areas[5] / areas[0]).toBeLessThan(4.8);
      // Upright shapes are left-right symmetric about the centre.
      const img = sprite({ shape, scale: 0.8 });
      expect(diff(img, mirrorLR(img))).toBe(0);
      // The centroid sits at the position, for every position.
      for (const [px, py] of [
        [0, 0],
        [1, 1],
        [0.3, 0.7],
        [1, 0],
      ]) {
        const m = moments(sprite({ shape, posX: px, posY: py, orientation: 1 }));
        expect(Math.abs(m.cx - (10 + 44 * px))).toBeLessThan(0.6);
        expect(Math.abs(m.cy - (10 + 44 * py))).toBeLessThan(0.6);
      }
    }
    // The heart's lobes are at the top at orientation 0: widest at the lobes.
    const heart = sprite({ shape: 'heart' });
    const widths = Array.from({ length: S }, (_, r) => heart.subarray(r * S, (r + 1) * S).reduce((a, b) => a + b, 0));
    const widest = widths.indexOf(Math.max(...widths));
    expect(widest).toBeLessThan(32); // the widest row (through the lobes) is above the centre
    expect(widths[widest + 8]).toBeLessThan(widths[widest]); // and it narrows towards the tip below
    // A quarter turn of the square is the same square; a quarter turn of the ellipse stands it up (counter-clockwise).
    expect(diff(sprite({ orientation: Math.PI / 2 }), sprite({}))).toBeLessThanOrEqual(2);
    const standing = sprite({ shape: 'ellipse', orientation: Math.PI / 2 });
    const cols = (img: Uint8Array) =>
      new Set(
        Array.from(img.keys())
          .filter((i) => img[i])
          .map((i) => i % S),
      ).size;
    expect(cols(standing)).toBeLessThan(cols(sprite({ shape: 'ellipse' })));
    const tilted = sprite({ shape: 'ellipse', orientation: Math.PI / 4 }); // long axis from lower left to upper right
    expect(tilted[(32 - 6) * S + 32 + 6]).toBe(1);
    expect(tilted[(32 - 6) * S + 32 - 6]).toBe(0);
    // Orientation 0 and 2 pi (the first and last of the 40) coincide, as in the original.
    const a = dspritesImage(dspritesIndex({ shape: 2, scale: 5, orientation: 0, posX: 9, posY: 20 }));
    const b = dspritesImage(dspritesIndex({ shape: 2, scale: 5, orientation: 39, posX: 9, posY: 20 }));
    expect(diff(a, b)).toBeLessThanOrEqual(1);
  });

  it('writes a picture grid of shapes, scales and orientations', () => {
    const cols = 10;
    const W = cols * (S + 2);
    const H = 3 * (S + 2);
    const px = new Uint8Array(W * H).fill(96);
    for (let shape = 0; shape < 3; shape++) {
      for (let c = 0; c < cols; c++) {
        const img = dspritesImage(dspritesIndex({ shape, scale: c % 6, orientation: c * 4, posX: 3 * c, posY: 31 - 3 * c }));
        for (let r = 0; r < S; r++) for (let x = 0; x < S; x++) px[(shape * (S + 2) + r) * W + c * (S + 2) + x] = img[r * S + x] * 255;
      }
    }
    const file = join(tempDir('vaelab-dsprites-'), 'dsprites-grid.png');
    writeFileSync(file, encodePng(px, W, H));
    const back = decodePng(encodePng(px, W, H), file);
    expect([back.width, back.height]).toEqual([W, H]);
    console.log(`dSprites picture: ${file}`);
  });

  it('is a generated dataset: batches made on demand, labelled by shape', () => {
    const ds = dspritesDataset();
    expect(ds).toMatchObject({ n: DSPRITES_N, shape: [1, 64, 64], range: 'binary' });
    const it = batches(ds, { batchSize: 4, shuffle: null });
    const first = it.next().value!;
    expect(Array.from(first.x.subarray(0, 4096))).toEqual(Array.from(dspritesImage(0)));
    expect(Array.from(first.labels!)).toEqual([0, 0, 0, 0]);
    expect(ds.label!(DSPRITES_N - 1)).toBe(2);
  });
});
