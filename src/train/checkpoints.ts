/**
 * The checkpoints of a run directory: `checkpoints/latest` (written every `checkpointEvery` steps, at
 * the end and on an interrupt), `best` (the best validation ELBO so far) and `final` (the model the
 * run ends with). Resume and eval take the newest one that loads and verifies, so a corrupt or
 * missing `latest` falls back to `best` or `final` instead of losing the run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, loadCheckpoint, MANIFEST, type CheckpointContents } from '../engine/checkpoint.js';
import { RunDirError, type RunPaths } from './runDir.js';

/** The checkpoint names a run writes. */
export type CheckpointName = 'latest' | 'best' | 'final';

/** The checkpoint directory `name` of a run. */
export function checkpointDir(paths: RunPaths, name: string): string {
  return join(paths.checkpoints, name);
}

/** A checkpoint found by {@link newestCheckpoint}. */
export interface FoundCheckpoint {
  readonly name: CheckpointName;
  readonly dir: string;
  readonly contents: CheckpointContents;
}

/**
 * Loads (and verifies) each of the named checkpoints that exists and returns the one with the
 * highest step; ties go to the earlier name in `order` (resume prefers `latest`, which holds the
 * optimizer state of that step; eval prefers `final`, which after early stopping holds the best
 * parameters). A checkpoint that fails to load is skipped and reported through `onSkip`. Throws a
 * {@link RunDirError} when there is none and a {@link CheckpointError} when none loads.
 */
export async function newestCheckpoint(
  paths: RunPaths,
  order: readonly CheckpointName[],
  onSkip?: (name: CheckpointName, why: string) => void,
): Promise<FoundCheckpoint> {
  let best: FoundCheckpoint | null = null;
  const failures: string[] = [];
  for (const name of order) {
    const dir = checkpointDir(paths, name);
    // saveCheckpoint writes the manifest last: a directory without one is a first save that never
    // finished (a kill mid-write), which is no checkpoint, not a damaged one.
    if (!existsSync(join(dir, MANIFEST))) continue;
    try {
      const contents = await loadCheckpoint(dir);
      if (!best || contents.step > best.contents.step) best = { name, dir, contents };
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      failures.push(e.message);
      onSkip?.(name, e.message);
    }
  }
  if (best) return best;
  if (failures.length > 0) throw new CheckpointError(`${paths.dir}: no checkpoint can be read (${failures.join('; ')})`);
  throw new RunDirError(
    `${paths.dir} has no checkpoint (looked for checkpoints/${order.join(', ')}): the run stopped before its first one; ` +
      `start it again with \`vaelab train --out ${paths.dir} --overwrite\` and its flags`,
  );
}
