/**
 * Node side of the Lab's download: `vaelab eval run.zip` unpacks the run directory the Lab zipped
 * (runArchive.ts) next to the zip and evaluates that folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { UserError } from '../engine/errors.js';

/**
 * `path` itself when it is not a `.zip`; otherwise unpacks the zip's single top folder beside it
 * and returns that folder (an existing folder only when it holds the same files).
 */
export function runDirFromArchive(path: string): string {
  if (!path.toLowerCase().endsWith('.zip')) return path;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(path));
  } catch (e) {
    throw new UserError(`${path}: cannot read the zip (${(e as Error).message}); download the run again from the Lab`);
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
  const tops = new Set(names.map((n) => n.split('/')[0]));
  if (tops.size !== 1 || names.some((n) => !n.includes('/')))
    throw new UserError(`${path}: expected one run folder in the zip, found ${[...tops].join(', ') || 'nothing'}`);
  const top = [...tops][0];
  const dir = join(dirname(path), top);
  const targets = names.map((n) => {
    const target = normalize(join(dirname(path), n));
    if (!target.startsWith(normalize(dir) + sep)) throw new UserError(`${path}: entry '${n}' points outside its folder`);
    return [target, entries[n]] as const;
  });
  if (existsSync(dir)) {
    // Unpacked before: reuse the folder only if it still holds exactly the zip's files.
    const same = targets.every(([t, bytes]) => existsSync(t) && Buffer.compare(readFileSync(t), bytes) === 0);
    if (!same)
      throw new UserError(
        `${dir} already exists and differs from ${path}: evaluate the folder itself, or move it away to unpack the zip again`,
      );
    return dir;
  }
  for (const [target, bytes] of targets) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return dir;
}
