/**
 * Builds the Lab as static files: `index.html`, `main.js` (the page) and `worker.js` (training),
 * bundled with esbuild for the browser; onnxruntime-web's wasm files under `ort/`; and the MNIST
 * subset. `npm run build` writes them to dist/lab/public; any static host can serve that folder
 * (multi-threaded wasm needs the COOP/COEP headers `vaelab lab` sends).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { loadMnistPart } from '../data/mnist.js';
import { MNIST_SUBSET, MNIST_SUBSET_FILE } from './data.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file is in src/lab or dist/lab). */
const ROOT = join(here, '..', '..');
/** The page sources. */
const PAGE = join(ROOT, 'src', 'lab', 'page');
/** Where `npm run build` puts the Lab. */
export const LAB_PUBLIC = join(ROOT, 'dist', 'lab', 'public');

/**
 * esbuild plugin for browser bundles of the engine: `defaultBackend.js` becomes
 * `defaultBackend.browser.ts` (onnxruntime-web), the swap engine/runtimeBackend.ts describes.
 */
export const browserBackendPlugin: Plugin = {
  name: 'vaelab-browser-backend',
  setup(build) {
    build.onResolve({ filter: /\/defaultBackend\.js$/ }, (a) => ({ path: join(a.resolveDir, 'defaultBackend.browser.ts') }));
  },
};

/** esbuild options shared by the Lab build and the browser-safety test. */
export const BROWSER_BUILD = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // onnxruntime-web loads its wasm glue from `env.wasm.wasmPaths` instead of inlining it.
  conditions: ['onnxruntime-web-use-extern-wasm'],
  plugins: [browserBackendPlugin],
} as const;

/**
 * onnxruntime-web's files the Lab loads: the wasm build's glue and binary, and the WebGPU build's
 * (its asyncify variant, fetched only with `?backend=webgpu`).
 */
const ORT_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
];

/** Every file of a built Lab, relative to its folder (the server serves these and nothing else). */
export const LAB_FILES: readonly string[] = ['index.html', 'main.js', 'worker.js', ...ORT_FILES.map((f) => `ort/${f}`), MNIST_SUBSET_FILE];

/** The first {@link MNIST_SUBSET} MNIST training images and their labels, in the Lab's file format. */
export function mnistSubsetBytes(): Uint8Array {
  const train = loadMnistPart('train');
  const n = Math.min(MNIST_SUBSET, train.n);
  const out = new Uint8Array(785 * n);
  out.set((train.data as Uint8Array).subarray(0, 784 * n));
  for (let i = 0; i < n; i++) out[784 * n + i] = Number(train.labels?.[i] ?? 0);
  return out;
}

/** onnxruntime-web's dist folder. */
function ortDist(): string {
  for (let d = here; d !== dirname(d); d = dirname(d)) {
    const p = join(d, 'node_modules', 'onnxruntime-web', 'dist');
    if (existsSync(p)) return p;
  }
  throw new Error('onnxruntime-web is not installed (npm install)');
}

/** Writes the Lab's static files into `dir`; returns their paths. */
export async function buildLab(dir = LAB_PUBLIC): Promise<string[]> {
  const esbuild = await import('esbuild');
  mkdirSync(join(dir, 'ort'), { recursive: true });
  await esbuild.build({
    ...BROWSER_BUILD,
    plugins: [...BROWSER_BUILD.plugins],
    conditions: [...BROWSER_BUILD.conditions],
    entryPoints: { main: join(PAGE, 'main.ts'), worker: join(PAGE, 'worker.ts') },
    outdir: dir,
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  copyFileSync(join(PAGE, 'index.html'), join(dir, 'index.html'));
  for (const f of ORT_FILES) copyFileSync(join(ortDist(), f), join(dir, 'ort', f));
  writeFileSync(join(dir, MNIST_SUBSET_FILE), mnistSubsetBytes());
  return LAB_FILES.map((f) => join(dir, f));
}
