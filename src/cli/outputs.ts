/**
 * Checks of the paths a command writes to (`--out`), before any work: a file where a folder is
 * expected and the reverse, a missing or unwritable parent, each as one message naming the flag and
 * the path instead of an EISDIR/ENOTDIR/EACCES stack after the work is done.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError, makeDirs } from '../train/runDir.js';
import { UserError } from './context.js';

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot use ${path}: ${describeFsError(e)}`);
  }
}

function writable(dir: string, flag: string, path: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(`${flag} ${path}: cannot write in ${dir}: ${describeFsError(e)}`);
  }
}

/** Checks that `path` can be written as a file: not a folder, in an existing, writable folder. */
export function checkOutputFile(path: string, flag = '--out'): void {
  if (path.trim() === '') throw new UserError(`${flag} is empty: name the file to write`);
  const st = statOrNull(path);
  if (st?.isDirectory()) throw new UserError(`${flag} ${path} is a folder; name a file to write`);
  const dir = dirname(resolve(path));
  const d = statOrNull(dir);
  if (!d) throw new UserError(`${flag} ${path}: the folder ${dir} does not exist`);
  if (!d.isDirectory()) throw new UserError(`${flag} ${path}: ${dir} is a file, not a folder`);
  writable(dir, flag, path);
}

/** Creates folder `path` (and its parents) for output, or explains why it cannot. */
export function prepareOutputDir(path: string, flag = '--out'): void {
  if (path.trim() === '') throw new UserError(`${flag} is empty: name the folder to write into`);
  const st = statOrNull(path);
  if (st && !st.isDirectory()) throw new UserError(`${flag} ${path} is a file; name a folder to write into`);
  makeDirs(path, `${flag} folder`);
  writable(resolve(path), flag, path);
}
