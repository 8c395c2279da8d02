/**
 * The command's real stdout and stderr. Output piped into a reader that stops early (`vaelab ... |
 * head`) makes the next write fail with EPIPE; the reader wanted no more, so vaelab exits quietly
 * (status 0) instead of printing a stack.
 */
import type { Io } from './context.js';

let installed = false;

/** Exits quietly when the reader of stdout or stderr has gone (EPIPE); other stream errors are rethrown. */
export function exitQuietlyOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

/** An {@link Io} writing lines to the process's stdout and stderr. */
export function processIo(): Io {
  exitQuietlyOnBrokenPipe();
  return { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };
}
