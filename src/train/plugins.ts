/**
 * Plugins: modules that register model parts (`registerLikelihood('laplace', …)`, `models/parts.ts`) as
 * a side effect of being imported. A run records them in config.json (`plugins`, absolute paths), and
 * every process that rebuilds the run's model (resume, eval, sample, encode, export, report, the
 * dashboard) imports them first, so a model with a custom likelihood is rebuilt like a built-in one.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../models/config.js';

/** Loaded plugins by absolute path: each imported once per process. */
const loaded = new Map<string, Promise<void>>();

const isTypeScript = (file: string): boolean => /\.[cm]?ts$/.test(file);

/**
 * Node cannot import TypeScript by itself: where the plain import fails for that reason, tsx's loader
 * (a dev dependency of vaelab, and of most TypeScript projects) is registered once and the import retried.
 */
let tsxRegistered: Promise<void> | null = null;
async function registerTypeScriptLoader(file: string): Promise<void> {
  tsxRegistered ??= import('tsx/esm/api').then(
    (tsx) => void tsx.register(),
    () => {
      throw new ConfigError(
        `plugin ${file}: importing a TypeScript plugin needs the tsx package (npm install tsx), or compile the plugin to JavaScript`,
      );
    },
  );
  return tsxRegistered;
}

async function importPlugin(file: string): Promise<void> {
  const url = pathToFileURL(file).href;
  try {
    await import(url);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!isTypeScript(file) || code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw pluginError(file, e);
    await registerTypeScriptLoader(file);
    // A new URL: Node keeps the failed import of the plain one in its module map.
    await import(`${url}?typescript`).catch((e2: unknown) => {
      throw pluginError(file, e2);
    });
  }
}

function pluginError(file: string, e: unknown): Error {
  // A user error the plugin throws (a bad registration) stays one; anything else is the plugin's bug, shown with its cause.
  if (e instanceof ConfigError) return new ConfigError(`plugin ${file}: ${e.message}`);
  return new ConfigError(`plugin ${file} failed to load: ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * Imports each plugin module (paths relative to `baseDir`, default the working directory) once, and
 * returns their absolute paths, as a run records them. A missing file or a module that fails to load
 * is a {@link ConfigError} naming it.
 */
export async function loadPlugins(plugins: readonly string[] | undefined, baseDir = process.cwd()): Promise<string[]> {
  const files = (plugins ?? []).map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile())
      throw new ConfigError(`plugin ${file}: no such file (a plugin is a JavaScript or TypeScript module that registers model parts)`);
    let done = loaded.get(file);
    if (!done) loaded.set(file, (done = importPlugin(file)));
    await done;
  }
  return files;
}
