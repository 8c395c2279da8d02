/**
 * Where the dashboard may read: only files under the runs folder. A request names a run and a path
 * inside it; both are checked segment by segment (no `..`, `.`, empty, absolute or backslash parts)
 * and the resolved real path (symlinks followed) must still lie under the runs folder's real path.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** Whether `name` is one plain path segment (a run name or a file name), safe to join. */
export function isPlainSegment(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && !isAbsolute(name);
}

/** The real path of `root`, the prefix every served file's real path must start with. */
export function realRoot(root: string): string {
  return realpathSync(root);
}

/** Whether real path `p` is `root` itself or lies under it. */
function isUnder(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The real path of `segments` joined under `root` (a real path, see {@link realRoot}), or null when a
 * segment is not plain, the path does not exist, or it resolves (through a symlink) outside `root`.
 */
export function resolveInside(root: string, segments: readonly string[], kind: 'file' | 'dir' = 'file'): string | null {
  if (segments.length === 0 || !segments.every(isPlainSegment)) return null;
  let real: string;
  try {
    real = realpathSync(join(root, ...segments));
  } catch {
    return null;
  }
  if (!isUnder(root, real)) return null;
  try {
    const st = statSync(real);
    return (kind === 'file' ? st.isFile() : st.isDirectory()) ? real : null;
  } catch {
    return null;
  }
}
