/**
 * A small RGB canvas for image grids (reconstruction rows, sample grids, traversals, the latent
 * manifold), written as PNG with pngjs. Images are channels-first [C, H, W] with C = 1 or 3, values
 * in [0, 1] (clamped), drawn at an integer `scale` so that 28×28 digits are readable.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** An image shape as the grid helpers read it: channels, height, width. */
export interface ImageShape {
  readonly c: 1 | 3;
  readonly h: number;
  readonly w: number;
}

/** The image shape of a data shape ([H, W], [1, H, W] or [3, H, W]), or null when the data are not images. */
export function imageShape(shape: readonly number[]): ImageShape | null {
  if (shape.length === 2 && shape[0] > 1 && shape[1] > 1) return { c: 1, h: shape[0], w: shape[1] };
  if (shape.length === 3 && (shape[0] === 1 || shape[0] === 3) && shape[1] > 1 && shape[2] > 1)
    return { c: shape[0] as 1 | 3, h: shape[1], w: shape[2] };
  return null;
}

/** Layout of a grid: `rows` × `cols` cells of one image each. */
export interface GridLayout {
  readonly rows: number;
  readonly cols: number;
  /** Pixel magnification (default {@link defaultScale}). */
  readonly scale?: number;
  /** Gap between cells in output pixels (default 2). */
  readonly gap?: number;
  /** Extra gap after every `groupRows` rows (reconstruction pairs; default none). */
  readonly groupRows?: number;
}

/** A near-square grid for n images: ⌈√n⌉ columns. */
export function squareLayout(n: number): GridLayout {
  const cols = Math.ceil(Math.sqrt(n));
  return { rows: Math.ceil(n / cols), cols };
}

const BACKGROUND = [255, 255, 255] as const;

/** The default magnification: 2 for small images (MNIST's 28×28), 1 from 33 pixels up (dSprites' 64×64). */
export function defaultScale(img: ImageShape): number {
  return Math.max(img.h, img.w) <= 32 ? 2 : 1;
}

/** Width and height in pixels of the PNG {@link writeImageGrid} writes for `layout`. */
export function gridSize(img: ImageShape, layout: GridLayout): { width: number; height: number } {
  const s = layout.scale ?? defaultScale(img);
  const gap = layout.gap ?? 2;
  const groupGaps = layout.groupRows ? Math.ceil(layout.rows / layout.groupRows) - 1 : 0;
  return {
    width: layout.cols * img.w * s + (layout.cols + 1) * gap,
    height: layout.rows * img.h * s + (layout.rows + 1) * gap + groupGaps * 3 * gap,
  };
}

/**
 * Writes `images` (row-major [rows·cols, C·H·W]; missing cells stay blank) as a PNG grid, cell k at
 * row ⌊k / cols⌋, column k mod cols. Returns the PNG's size.
 */
export function writeImageGrid(path: string, images: Float32Array, img: ImageShape, layout: GridLayout): { width: number; height: number } {
  const { png, width, height } = imageGridPng(images, img, layout);
  writeFileSync(path, png);
  return { width, height };
}

/** The PNG file (bytes) of the grid {@link writeImageGrid} writes, and its size. */
export function imageGridPng(images: Float32Array, img: ImageShape, layout: GridLayout): { png: Buffer; width: number; height: number } {
  const s = layout.scale ?? defaultScale(img);
  const gap = layout.gap ?? 2;
  const { width, height } = gridSize(img, layout);
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[4 * i] = BACKGROUND[0];
    png.data[4 * i + 1] = BACKGROUND[1];
    png.data[4 * i + 2] = BACKGROUND[2];
    png.data[4 * i + 3] = 255;
  }
  const size = img.c * img.h * img.w;
  const n = Math.min(layout.rows * layout.cols, Math.floor(images.length / size));
  for (let k = 0; k < n; k++) {
    const row = Math.floor(k / layout.cols);
    const col = k % layout.cols;
    const group = layout.groupRows ? Math.floor(row / layout.groupRows) : 0;
    const ox = gap + col * (img.w * s + gap);
    const oy = gap + row * (img.h * s + gap) + group * 3 * gap;
    for (let y = 0; y < img.h * s; y++) {
      for (let x = 0; x < img.w * s; x++) {
        const o = ((oy + y) * width + ox + x) * 4;
        const p = Math.floor(y / s) * img.w + Math.floor(x / s);
        for (let ch = 0; ch < 3; ch++) {
          const v = images[k * size + (img.c === 3 ? ch : 0) * img.h * img.w + p];
          png.data[o + ch] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
        }
      }
    }
  }
  return { png: PNG.sync.write(png), width, height };
}
