/**
 * Which data a run was trained on. A dataset given as a path is stored in config.json as an absolute
 * path with the SHA-256 of its content, so that `eval`, `sample`, `--resume` and the rest, run from
 * any folder, read the same file, and refuse to go on when the file has changed since.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DataError } from '../data/errors.js';
import { isDatasetName } from '../data/registry.js';

/** A dataset as config.json stores it: a name, or an absolute path and the hash of its content. */
export interface DatasetIdentity {
  readonly dataset: string;
  /** SHA-256 (hex) of the file, or of a folder's files (relative names and contents, in sorted order); absent for names. */
  readonly datasetSha256?: string;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** SHA-256 of a file, or of every file under a folder together with its relative name. */
export function hashDataset(path: string): string {
  const h = createHash('sha256');
  try {
    if (statSync(path).isDirectory()) {
      for (const f of filesUnder(path)) h.update(relative(path, f) + '\0').update(readFileSync(f));
    } else h.update(readFileSync(path));
  } catch (e) {
    throw new DataError(path, '', `cannot read the dataset: ${(e as Error).message}`);
  }
  return h.digest('hex');
}

/** The identity to store for `dataset` (a name stays a name; a path becomes absolute, with its hash). */
export function identifyDataset(dataset: string): DatasetIdentity {
  if (isDatasetName(dataset)) return { dataset };
  const abs = resolve(dataset);
  // A path that does not exist is left to the data layer, whose message lists the dataset names.
  return existsSync(abs) ? { dataset: abs, datasetSha256: hashDataset(abs) } : { dataset };
}

/**
 * Checks that the data of a stored run are still the ones it was trained on: an absolute path whose
 * content hash matches. A relative path (written before paths were stored absolute) is read as is.
 */
export function checkDatasetIdentity(stored: DatasetIdentity, configFile: string): void {
  if (isDatasetName(stored.dataset) || stored.datasetSha256 === undefined) return;
  if (!isAbsolute(stored.dataset)) return;
  const now = hashDataset(stored.dataset);
  if (now !== stored.datasetSha256) {
    throw new DataError(
      stored.dataset,
      '',
      `the file changed since the run was trained (SHA-256 ${now.slice(0, 12)}…, ${configFile} records ${stored.datasetSha256.slice(0, 12)}…); ` +
        'restore the original data, or train a new run on the new data',
    );
  }
}
