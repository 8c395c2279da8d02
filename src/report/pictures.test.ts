/**
 * Pixel tests of the report's pictures: each image lands in the grid cell it belongs to, the scatter
 * puts known points where its axes say, and a traversal row varies the latent it names.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphFunction } from '../engine/function.js';
import { input } from '../engine/ops.js';
import { reconstruct } from '../models/generate.js';
import { createModel } from '../models/registry.js';
import { imageGridPng, type ImageShape } from './canvas.js';
import { renderSvg, scatterChart } from './charts.js';
import { Decoder, reconstructions, traversals } from './pictures.js';

const dir = mkdtempSync(join(tmpdir(), 'vaelab-pictures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const IMG: ImageShape = { c: 1, h: 28, w: 28 };
const D = 784;
const GAP = 2;
const SCALE = 2;

/** The grey levels (0–255) of cell (row, col) of a grid PNG written with scale 2 and gap 2; `groupRows` as the grid's. */
function cell(png: PNG, row: number, col: number, groupRows = 0): Uint8Array {
  const ox = GAP + col * (IMG.w * SCALE + GAP);
  const oy = GAP + row * (IMG.h * SCALE + GAP) + (groupRows ? Math.floor(row / groupRows) * 3 * GAP : 0);
  const out = new Uint8Array(D);
  for (let y = 0; y < IMG.h; y++)
    for (let x = 0; x < IMG.w; x++) out[y * IMG.w + x] = png.data[((oy + y * SCALE) * png.width + ox + x * SCALE) * 4];
  return out;
}
const grey = (img: ArrayLike<number>) => Uint8Array.from(img, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
const readPng = (path: string) => PNG.sync.read(readFileSync(path));

/** Image k: a bright 4×4 square at a position unique to k on a background of grey level k/12. */
function known(k: number): Float32Array {
  const img = new Float32Array(D).fill(k / 12);
  const r = 2 + 5 * Math.floor(k / 5);
  const c = 2 + 5 * (k % 5);
  for (let y = r; y < r + 4; y++) for (let x = c; x < c + 4; x++) img[y * IMG.w + x] = 1;
  return img;
}

describe('image grids', () => {
  it('draw image k in row ⌊k / cols⌋, column k mod cols', () => {
    const n = 11;
    const images = new Float32Array(n * D);
    for (let k = 0; k < n; k++) images.set(known(k), k * D);
    const png = PNG.sync.read(imageGridPng(images, IMG, { rows: 3, cols: 4 }).png);
    for (let k = 0; k < n; k++) expect(cell(png, Math.floor(k / 4), k % 4), `image ${k}`).toEqual(grey(known(k)));
    expect(
      cell(png, 2, 3).every((v) => v === 255),
      'the 12th cell stays blank (white)',
    ).toBe(true);
  });

  it('put each test image above its own reconstruction μ_x(μ_z(x))', async () => {
    const model = createModel({ kind: 'vae', decoder: 'bernoulli', latent: 3, hidden: [16], dataShape: [1, 28, 28] }, { seed: 3 });
    // An untrained network reconstructs every input nearly alike; weights ×4 make the reconstructions
    // differ, so that a reconstruction drawn in another image's cell is caught.
    for (const p of model.store.all()) p.value = p.value.map((v) => 4 * v);
    const cols = 4;
    const inputs = new Float32Array(9 * D); // 9 images: two pairs of rows of 4, the 9th is left out
    for (let k = 0; k < 9; k++) inputs.set(known(k), k * D);
    const pic = await reconstructions(model, inputs, IMG, dir, cols, 1);
    const png = readPng(join(dir, pic.file));
    // the reconstructions computed independently, one image at a time
    const x = input('x', [1, D]);
    const f = await GraphFunction.create({ inputs: [x], outputs: { rec: reconstruct(model, x) } });
    const maxDiff = (a: Uint8Array, b: Uint8Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    const recs: Uint8Array[] = [];
    for (let k = 0; k < 8; k++) recs.push(grey((await f.run({ x: known(k) })).rec as Float32Array));
    for (let k = 0; k < 8; k++) {
      const pair = Math.floor(k / cols);
      expect(cell(png, 2 * pair, k % cols, 2), `input ${k}`).toEqual(grey(known(k)));
      expect(maxDiff(cell(png, 2 * pair + 1, k % cols, 2), recs[k]), `reconstruction ${k}`).toBeLessThanOrEqual(1);
      // the reconstructions differ from one another, so a swapped cell would be caught
      expect(maxDiff(recs[k], recs[(k + 1) % 8]), `reconstructions ${k} and ${(k + 1) % 8} differ`).toBeGreaterThan(10);
    }
    expect(png.height).toBe(4 * (28 * SCALE + GAP) + GAP + 3 * GAP);
  });
});

describe('latent traversals', () => {
  it('vary, in each row, the latent the row names and only that one', async () => {
    const d = 3;
    const model = createModel({ kind: 'vae', decoder: 'bernoulli', latent: d, hidden: [16], dataShape: [1, 28, 28] }, { seed: 5 });
    const decoder = await Decoder.create(model, 1);
    const steps = 5;
    const pic = await traversals(decoder, d, [2, 0], IMG, dir, steps, 3);
    expect(pic.caption).toContain('rows are latents z2, z0');
    const png = readPng(join(dir, pic.file));
    const sweep = async (latent: number) => {
      const z = new Float32Array(steps * d);
      for (let s = 0; s < steps; s++) z[s * d + latent] = -3 + (6 * s) / (steps - 1);
      const { mean } = await decoder.decode(z);
      return Array.from({ length: steps }, (_, s) => grey(mean.subarray(s * D, (s + 1) * D)));
    };
    const maxDiff = (a: Uint8Array, b: Uint8Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    for (const [row, latent] of [
      [0, 2],
      [1, 0],
    ] as const) {
      const want = await sweep(latent);
      const other = await sweep(latent === 2 ? 1 : 2);
      for (let s = 0; s < steps; s++) expect(maxDiff(cell(png, row, s), want[s]), `row ${row} step ${s}`).toBeLessThanOrEqual(1);
      expect(maxDiff(cell(png, row, 0), cell(png, row, steps - 1)), `row ${row} changes along the sweep`).toBeGreaterThan(10);
      expect(maxDiff(cell(png, row, 0), other[0]), `row ${row} is not another latent's sweep`).toBeGreaterThan(10);
    }
  });
});

describe('the latent scatter', () => {
  it('places known points where its axes say: x to the right, y up, linearly', async () => {
    const points = [
      [0, 0],
      [1, 2],
      [-1, -2],
      [2, -1],
      [-2, 1.5],
      [0.5, 0.25],
    ].map(([x, y], i) => ({ x, y, label: String(i % 3) }));
    const svg = await renderSvg(scatterChart({ latents: [3, 7], points, twoD: false }).spec);
    const drawn = [...svg.matchAll(/role="graphics-symbol"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(drawn).toHaveLength(points.length);
    // pixel = a + b · value per axis, from the first two points; b > 0 on x, b < 0 on y (SVG y grows down)
    const bx = (drawn[1][0] - drawn[0][0]) / (points[1].x - points[0].x);
    const by = (drawn[1][1] - drawn[0][1]) / (points[1].y - points[0].y);
    expect(bx).toBeGreaterThan(0);
    expect(by).toBeLessThan(0);
    points.forEach((p, i) => {
      expect(drawn[i][0]).toBeCloseTo(drawn[0][0] + bx * p.x, 1);
      expect(drawn[i][1]).toBeCloseTo(drawn[0][1] + by * p.y, 1);
    });
    // all inside the 380 × 380 plot
    for (const [x, y] of drawn) expect(x >= 0 && x <= 380 && y >= 0 && y <= 380).toBe(true);
  });
});
