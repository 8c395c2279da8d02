/**
 * The layer rule of DESIGN.md: a folder of src/ imports only from its own layer and the layers above it
 * (engine first, cli last). `reproduce/` sits with report/ and sweep/ (it runs sweeps and writes
 * reports; the dashboard lists its results). Test files are exempt: several are integration tests that
 * drive a layer through a higher one (the CLI, a trained run).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAYERS: readonly (readonly string[])[] = [
  ['types'],
  ['engine'],
  ['nn', 'distributions'],
  ['models', 'objectives'],
  ['data'],
  ['eval'],
  ['train', 'compress'],
  ['report', 'sweep', 'reproduce'],
  ['web', 'lab'],
  ['cli'],
];
const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
const src = dirname(fileURLToPath(import.meta.url));

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** The src/ folder of a file, or null for src/index.ts. */
const folderOf = (file: string): string | null => {
  const parts = relative(src, file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : null;
};

describe('the layer rule (DESIGN.md)', () => {
  it('every folder of src/ has a layer', () => {
    const folders = readdirSync(src).filter((f) => statSync(join(src, f)).isDirectory());
    expect(folders.filter((f) => !layerOf.has(f))).toEqual([]);
  });

  it('no file imports a folder of a lower layer', () => {
    const violations: string[] = [];
    for (const file of tsFiles(src)) {
      const from = folderOf(file);
      if (from === null || file.endsWith('.test.ts')) continue; // src/index.ts re-exports every layer
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const to = folderOf(resolve(dirname(file), m[1]));
        if (to === null || to === from) continue;
        if (layerOf.get(to)! > layerOf.get(from)!)
          violations.push(
            `${relative(src, file)} imports ${m[1]} (${from} is layer ${layerOf.get(from)}, ${to} is layer ${layerOf.get(to)})`,
          );
      }
    }
    expect(violations).toEqual([]);
  });
});
