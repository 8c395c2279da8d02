/**
 * What runs in the browser imports no Node built-in: the browser entry points of the engine, nn,
 * distributions, models, objectives, the toy sets, the schedules, the Lab's step logic and its page and
 * worker are bundled for the browser with esbuild (the Lab's own build options), and any import of
 * `node:*`, a bare Node built-in or onnxruntime-node fails the test.
 */
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BROWSER_BUILD } from './build.js';

const src = resolve(import.meta.dirname, '..');
const ENTRIES = [
  'engine/browser.ts',
  'nn/index.ts',
  'distributions/index.ts',
  'models/browser.ts',
  'objectives/index.ts',
  'data/synthetic.ts',
  'train/schedules.ts',
  'lab/session.ts',
  'lab/views.ts',
  'lab/runArchive.ts',
  'lab/page/worker.ts',
  'lab/page/main.ts',
];
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Marks every Node built-in external, so the bundle's metafile lists who imports one. */
const nodeBuiltins: esbuild.Plugin = {
  name: 'node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (a) =>
      NODE.has(a.path) || a.path.startsWith('node:') ? { path: a.path, external: true } : undefined,
    );
  },
};

describe('browser-safe entry points', () => {
  it.each(ENTRIES)(
    '%s bundles for the browser without Node built-ins or onnxruntime-node',
    async (entry) => {
      const r = await esbuild.build({
        ...BROWSER_BUILD,
        plugins: [nodeBuiltins, ...BROWSER_BUILD.plugins],
        conditions: [...BROWSER_BUILD.conditions],
        entryPoints: [join(src, entry)],
        write: false,
        metafile: true,
        logLevel: 'silent',
        outdir: 'out',
      });
      const offenders = Object.entries(r.metafile.inputs).flatMap(([file, info]) =>
        info.imports.filter((i) => NODE.has(i.path) || i.path.startsWith('node:')).map((i) => `${file} imports ${i.path}`),
      );
      expect(offenders).toEqual([]);
      expect(Object.keys(r.metafile.inputs).filter((f) => f.includes('onnxruntime-node'))).toEqual([]);
    },
    60_000,
  );

  it('the check catches a Node import (the engine index pulls in checkpoint directories)', async () => {
    const r = await esbuild.build({
      ...BROWSER_BUILD,
      plugins: [nodeBuiltins, ...BROWSER_BUILD.plugins],
      conditions: [...BROWSER_BUILD.conditions],
      entryPoints: [join(src, 'engine/index.ts')],
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: 'out',
    });
    const imports = Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports).toContain('node:fs/promises');
  }, 60_000);
});
