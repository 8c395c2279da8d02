/**
 * dSprites (Matthey, Higgins, Hassabis & Lerchner 2017), generated exactly and on demand: every
 * combination of 5 factors, one binary 64x64 image each, 737,280 images, never all in memory.
 *
 * Factors and values, as in the original `dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz`
 * (`latents_sizes = [1, 3, 6, 40, 32, 32]`, colour fixed to white and left out here):
 * - shape: square, ellipse, heart (original values 1, 2, 3);
 * - scale: 6 values linspace(0.5, 1, 6);
 * - orientation: 40 values linspace(0, 2 pi, 40) radians (so the first and last coincide, as in the original);
 * - posX, posY: 32 values each, linspace(0, 1, 32).
 * The index is row-major over (shape, scale, orientation, posX, posY), posY fastest, as in the original.
 *
 * Rendering (the original generator is not published; these are our constants): each shape is
 * centred on its area centroid and fits the unit disc; it is scaled by `scale * 10` pixels, rotated
 * counter-clockwise by `orientation` (y up on screen), and centred at pixel coordinates
 * `(10 + 44 posX, 10 + 44 posY)` with x to the right and y down (so no shape is ever clipped). A pixel
 * is on when its centre lies inside the shape. Square: |u|,|v| <= 1/sqrt 2; ellipse: u^2 + (2v)^2 <= 1
 * (2:1, long axis horizontal at orientation 0); heart: the implicit curve (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0.
 */
import type { GeneratedDataset } from './dataset.js';

/** The factor names, in index order (slowest first). */
export const DSPRITES_FACTORS = ['shape', 'scale', 'orientation', 'posX', 'posY'] as const;
/** One factor name. */
export type DspritesFactor = (typeof DSPRITES_FACTORS)[number];
/** Number of values of each factor. */
export const DSPRITES_SIZES: Readonly<Record<DspritesFactor, number>> = { shape: 3, scale: 6, orientation: 40, posX: 32, posY: 32 };
/** The shape names by shape index. */
export const DSPRITES_SHAPES = ['square', 'ellipse', 'heart'] as const;
/** Total number of images: 3 * 6 * 40 * 32 * 32. */
export const DSPRITES_N = 737_280;
/** Image side in pixels. */
export const DSPRITES_SIDE = 64;

/** A grid point: each factor's index (shape 0..2, scale 0..5, orientation 0..39, posX/posY 0..31). */
export type DspritesFactors = Record<DspritesFactor, number>;

/** The values a grid point stands for (`shape` as the name, the rest as the original's real values). */
export interface DspritesValues {
  readonly shape: (typeof DSPRITES_SHAPES)[number];
  /** In [0.5, 1]. */
  readonly scale: number;
  /** Radians in [0, 2 pi]. */
  readonly orientation: number;
  /** In [0, 1]. */
  readonly posX: number;
  /** In [0, 1]. */
  readonly posY: number;
}

const linspace = (a: number, b: number, k: number, i: number): number => a + ((b - a) * i) / (k - 1);

/** The factor indices of image `index` (0 <= index < {@link DSPRITES_N}). */
export function dspritesFactors(index: number): DspritesFactors {
  if (!Number.isInteger(index) || index < 0 || index >= DSPRITES_N)
    throw new RangeError(`dspritesFactors: index ${index} outside [0, ${DSPRITES_N})`);
  const f = {} as DspritesFactors;
  let rest = index;
  for (let k = DSPRITES_FACTORS.length - 1; k >= 0; k--) {
    const name = DSPRITES_FACTORS[k];
    f[name] = rest % DSPRITES_SIZES[name];
    rest = Math.floor(rest / DSPRITES_SIZES[name]);
  }
  return f;
}

/** The index of the image with factor indices `f`; the inverse of {@link dspritesFactors}. */
export function dspritesIndex(f: DspritesFactors): number {
  let index = 0;
  for (const name of DSPRITES_FACTORS) {
    const v = f[name];
    if (!Number.isInteger(v) || v < 0 || v >= DSPRITES_SIZES[name])
      throw new RangeError(`dspritesIndex: ${name} = ${v} outside [0, ${DSPRITES_SIZES[name]})`);
    index = index * DSPRITES_SIZES[name] + v;
  }
  return index;
}

/** The real values of grid point `f` (or of image index `f`). */
export function dspritesValues(f: DspritesFactors | number): DspritesValues {
  const g = typeof f === 'number' ? dspritesFactors(f) : f;
  return {
    shape: DSPRITES_SHAPES[g.shape],
    scale: linspace(0.5, 1, 6, g.scale),
    orientation: linspace(0, 2 * Math.PI, 40, g.orientation),
    posX: linspace(0, 1, 32, g.posX),
    posY: linspace(0, 1, 32, g.posY),
  };
}

/** The factor indices of many images, row-major `[indices.length, 5]` in {@link DSPRITES_FACTORS} order. */
export function dspritesFactorMatrix(indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length * 5);
  for (let i = 0; i < indices.length; i++) {
    const f = dspritesFactors(indices[i]);
    DSPRITES_FACTORS.forEach((name, k) => (out[5 * i + k] = f[name]));
  }
  return out;
}

/** Heart curve (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, in its own coordinates. */
const inHeartCurve = (x: number, y: number): boolean => {
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
};

/** Centroid height and radius about it of the heart curve, measured once on a fine grid. */
const HEART = (() => {
  const steps = 600;
  const lo = -1.5;
  const h = 3 / steps;
  let count = 0;
  let sumY = 0;
  const pts: number[] = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const x = lo + (i + 0.5) * h;
      const y = lo + (j + 0.5) * h;
      if (inHeartCurve(x, y)) {
        count++;
        sumY += y;
        pts.push(x, y);
      }
    }
  }
  const cy = sumY / count;
  let r2 = 0;
  for (let k = 0; k < pts.length; k += 2) r2 = Math.max(r2, pts[k] ** 2 + (pts[k + 1] - cy) ** 2);
  return { cy, radius: Math.sqrt(r2) + h };
})();

/** Inside tests in shape coordinates (centroid at 0, the shape within the unit disc). */
const INSIDE: Record<DspritesValues['shape'], (u: number, v: number) => boolean> = {
  square: (u, v) => Math.abs(u) <= Math.SQRT1_2 && Math.abs(v) <= Math.SQRT1_2,
  ellipse: (u, v) => u * u + 4 * v * v <= 1,
  heart: (u, v) => inHeartCurve(u * HEART.radius, v * HEART.radius + HEART.cy),
};

/** Pixels per unit of shape size at scale 1, and the margin that keeps every shape inside. */
const RADIUS_PX = 10;
const MARGIN_PX = 10;

/**
 * Renders a sprite with any (continuous) values into `out` at `offset` (64 x 64 bytes, 0/1, row-major,
 * cleared first). {@link dspritesImage} renders the grid points; this also takes in-between values.
 */
export function renderSprite(
  values: DspritesValues,
  out: Uint8Array = new Uint8Array(DSPRITES_SIDE * DSPRITES_SIDE),
  offset = 0,
): Uint8Array {
  const side = DSPRITES_SIDE;
  out.fill(0, offset, offset + side * side);
  const inside = INSIDE[values.shape];
  const span = side - 2 * MARGIN_PX;
  const cx = MARGIN_PX + span * values.posX;
  const cy = MARGIN_PX + span * values.posY;
  const r = RADIUS_PX * values.scale;
  const cos = Math.cos(values.orientation);
  const sin = Math.sin(values.orientation);
  const c0 = Math.max(0, Math.floor(cx - r - 1));
  const c1 = Math.min(side - 1, Math.ceil(cx + r + 1));
  const r0 = Math.max(0, Math.floor(cy - r - 1));
  const r1 = Math.min(side - 1, Math.ceil(cy + r + 1));
  for (let row = r0; row <= r1; row++) {
    const dy = (cy - (row + 0.5)) / r; // y up
    for (let col = c0; col <= c1; col++) {
      const dx = (col + 0.5 - cx) / r;
      // Rotate the pixel by -orientation into the shape's frame.
      const u = cos * dx + sin * dy;
      const v = -sin * dx + cos * dy;
      if (inside(u, v)) out[offset + row * side + col] = 1;
    }
  }
  return out;
}

/** Image `index` as 64 x 64 bytes of 0/1 (row-major), written into `out` at `offset` when given. */
export function dspritesImage(index: number, out?: Uint8Array, offset = 0): Uint8Array {
  return renderSprite(dspritesValues(dspritesFactors(index)), out, offset);
}

/**
 * All of dSprites as a {@link GeneratedDataset} of shape `[1, 64, 64]`, range `'binary'`, labelled by
 * shape (0 square, 1 ellipse, 2 heart). Images are made when a batch asks for them; use
 * {@link dspritesFactors} on a batch's `indices` for the ground-truth factors.
 */
export function dspritesDataset(): GeneratedDataset {
  return {
    kind: 'generated',
    name: 'dsprites',
    shape: [1, DSPRITES_SIDE, DSPRITES_SIDE],
    n: DSPRITES_N,
    range: 'binary',
    labelNames: DSPRITES_SHAPES,
    generate: (index, out, offset) => void dspritesImage(index, out, offset),
    label: (index) => Math.floor(index / (DSPRITES_N / 3)),
  };
}
