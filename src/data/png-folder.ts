/**
 * A folder of PNG images, all of one size, as a dataset. Images are taken in file-name order.
 * When the folder holds only subfolders of PNGs, each subfolder is a class and its sorted index is
 * the label (the ImageFolder convention).
 *
 * The folder is greyscale (`shape [1, H, W]`) when every pixel of every image has R = G = B, and
 * RGB (`shape [3, H, W]`, channels first) otherwise. Alpha is ignored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Largest image we decode (pixels); guards against headers that promise gigabytes. */
const MAX_PIXELS = 1 << 24;
const BIT_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A decoded PNG as RGBA bytes. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  readonly rgba: Uint8Array;
}

/**
 * Decodes PNG bytes after validating the signature and the IHDR chunk ourselves, so a corrupt header
 * is reported with its byte offset; anything pngjs rejects later is wrapped in a {@link DataError}.
 */
export function decodePng(bytes: Uint8Array, file: string): DecodedPng {
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== SIGNATURE[i])
      throw new DataError(file, `byte ${i}`, 'not a PNG file: expected the 8-byte PNG signature 89 50 4E 47 0D 0A 1A 0A');
  }
  if (bytes.length < 33)
    throw new DataError(
      file,
      `byte ${bytes.length}`,
      `truncated PNG: expected at least 33 bytes (signature and IHDR), found ${bytes.length}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (view.getUint32(8) !== 13 || type !== 'IHDR') {
    throw new DataError(file, 'byte 8', `expected an IHDR chunk of length 13 first, found '${type}' of length ${view.getUint32(8)}`);
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24];
  const color = bytes[25];
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) {
    throw new DataError(file, 'byte 16', `expected an image size of 1 to ${MAX_PIXELS} pixels, found ${width}x${height}`);
  }
  if (!BIT_DEPTHS[color]?.includes(depth)) {
    throw new DataError(
      file,
      'byte 24',
      `expected a bit depth in {${BIT_DEPTHS[color]?.join(', ') ?? 'none: colour type must be 0, 2, 3, 4 or 6'}} for colour type ${color}, found ${depth}`,
    );
  }
  if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] > 1) {
    throw new DataError(
      file,
      'byte 26',
      `expected compression 0, filter 0 and interlace 0 or 1, found ${bytes[26]}, ${bytes[27]}, ${bytes[28]}`,
    );
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new DataError(
      file,
      '',
      `corrupt PNG (header was valid: ${width}x${height}), expected well-formed chunks: ${(e as Error).message}`,
    );
  }
  if (png.width !== width || png.height !== height || png.data.length !== width * height * 4) {
    throw new DataError(file, '', `corrupt PNG: expected ${width}x${height} pixels as the header says, decoded ${png.width}x${png.height}`);
  }
  return { width, height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

/** Encodes greyscale bytes (`height` rows of `width`) or RGB(A) bytes as a PNG, e.g. for pictures and tests. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4 = 1): Uint8Array {
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) png.data[4 * p + c] = pixels[channels * p + (channels === 1 ? 0 : c)];
    png.data[4 * p + 3] = channels === 4 ? pixels[4 * p + 3] : 255;
  }
  return new Uint8Array(PNG.sync.write(png));
}

function listPngs(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
}

/** Reads a folder of PNGs (or of class subfolders of PNGs) as a uint8 {@link Dataset}. */
export function readPngFolder(folder: string): Dataset {
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch (e) {
    throw new DataError(folder, '', `cannot read folder: ${(e as Error).message}`);
  }
  const files: { path: string; label: number }[] = [];
  const isDir = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false; // a broken link is not a class folder
    }
  };
  const classes = entries.filter((f) => isDir(join(folder, f)));
  const direct = listPngs(folder);
  let labelNames: string[] | undefined;
  if (direct.length > 0) {
    for (const f of direct) files.push({ path: join(folder, f), label: -1 });
  } else if (classes.length > 0) {
    labelNames = classes;
    classes.forEach((c, label) => {
      for (const f of listPngs(join(folder, c))) files.push({ path: join(folder, c, f), label });
    });
  }
  if (files.length === 0) throw new DataError(folder, '', 'expected .png files (or subfolders of .png files, one per class), found none');

  const images: DecodedPng[] = [];
  let grey = true;
  for (const { path } of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new DataError(path, '', `cannot read image: ${(e as Error).message}`);
    }
    const img = decodePng(bytes, path);
    const first = images[0];
    if (first && (img.width !== first.width || img.height !== first.height)) {
      throw new DataError(
        folder,
        `image ${path}`,
        `expected ${first.width}x${first.height} like ${files[0].path} (all images must be one size), found ${img.width}x${img.height}`,
      );
    }
    if (grey) {
      const px = img.rgba;
      for (let p = 0; p < px.length; p += 4) {
        if (px[p] !== px[p + 1] || px[p] !== px[p + 2]) {
          grey = false;
          break;
        }
      }
    }
    images.push(img);
  }
  const { width, height } = images[0];
  const channels = grey ? 1 : 3;
  const plane = width * height;
  const data = new Uint8Array(images.length * channels * plane);
  images.forEach((img, i) => {
    const base = i * channels * plane;
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) data[base + c * plane + p] = img.rgba[4 * p + c];
    }
  });
  return makeDataset({
    name: folder,
    shape: [channels, height, width],
    n: images.length,
    range: 'uint8',
    data,
    labels: labelNames ? Int32Array.from(files, (f) => f.label) : undefined,
    labelNames,
  });
}
