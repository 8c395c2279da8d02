/**
 * The page's script and style sheet: `src/web/client/main.ts` bundled with esbuild (with vega-embed
 * and uPlot). `npm run build` writes them to dist/web/public/; a server running from the sources (the
 * tests, `tsx`) bundles them in memory once per process instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled page assets. */
export interface ClientBundle {
  readonly js: string;
  readonly css: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Where `npm run build` puts the bundle (dist/web/public when this file runs from dist/web). */
const PUBLIC = join(here, 'public');
/** The client entry: beside this file in src/, or src/web/client from dist/web. */
const ENTRY = [join(here, 'client', 'main.ts'), join(here, '..', '..', 'src', 'web', 'client', 'main.ts')].find(existsSync);

async function bundle(): Promise<ClientBundle> {
  if (!ENTRY) throw new Error(`the dashboard's client sources are missing (looked for src/web/client/main.ts near ${here})`);
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: { app: ENTRY },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const pick = (ext: string) => r.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: pick('.js'), css: pick('.css') };
}

let cached: Promise<ClientBundle> | undefined;

/** The page assets: the built files when dist/web/public has them, else bundled now (once per process). */
export function clientBundle(): Promise<ClientBundle> {
  if (existsSync(join(PUBLIC, 'app.js'))) {
    return Promise.resolve({ js: readFileSync(join(PUBLIC, 'app.js'), 'utf8'), css: readFileSync(join(PUBLIC, 'app.css'), 'utf8') });
  }
  return (cached ??= bundle());
}

/** Writes app.js and app.css into `dir` (default dist/web/public beside this file); `npm run build` runs it. */
export async function writeClientBundle(dir = PUBLIC): Promise<string[]> {
  const b = await bundle();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.js'), b.js);
  writeFileSync(join(dir, 'app.css'), b.css);
  return [join(dir, 'app.js'), join(dir, 'app.css')];
}
