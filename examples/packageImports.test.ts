import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const examples = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('examples use vaelab as a user would', () => {
  it.each(examples)('%s imports only from the package exports (vaelab, vaelab/*), Node built-ins and other examples', (file) => {
    const source = readFileSync(`${here}/${file}`, 'utf8');
    const specifiers = [
      ...source.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(specifiers.length).toBeGreaterThan(0);
    const foreign = specifiers.filter(
      (s) => !(s === 'vaelab' || s.startsWith('vaelab/') || s.startsWith('node:') || /^\.\/[\w.-]+\.js$/.test(s)),
    );
    expect(foreign).toEqual([]);
  });
});
