/** Helpers shared by the data tests (not exported from index.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for one test file. */
export function tempDir(prefix = 'vaelab-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
