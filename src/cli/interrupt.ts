/**
 * Ctrl-C and SIGTERM during `vaelab train`: the first signal asks the trainer to stop after the
 * steps under way and to write a checkpoint (an AbortSignal the trainer polls between runs of
 * steps), so the run can continue with `--resume`; a second signal, or one after training has ended
 * (during the final evaluation, whose model is already saved), exits at once. Locks are freed by
 * their exit hook either way (see `train/runLock.ts`).
 */
import { UserError } from '../engine/errors.js';
import type { Io } from './context.js';

/** Exit status of a process ended by `signal` (128 + its number), as shells report it. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** A run stopped by a signal after writing its checkpoint; the CLI exits with {@link SIGNAL_EXIT}. */
export class InterruptedError extends UserError {
  override name = 'InterruptedError';
  constructor(
    message: string,
    /** The process exit status. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** What {@link handleInterrupts} returns. */
export interface InterruptHandle {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): 'SIGINT' | 'SIGTERM' | undefined;
  /** Training is over: from now on a signal exits at once with `message`. */
  trainingDone(message: string): void;
  /** Removes the handlers. */
  dispose(): void;
}

/** Installs SIGINT/SIGTERM handlers for one training run (see the module comment). */
export function handleInterrupts(io: Io): InterruptHandle {
  const controller = new AbortController();
  let got: 'SIGINT' | 'SIGTERM' | undefined;
  let afterTraining: string | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (got || afterTraining !== undefined) {
      io.err(`vaelab: ${sig}: ${afterTraining ?? 'stopping at once; the last checkpoint written is kept'}`);
      process.exit(SIGNAL_EXIT[sig]);
    }
    got = sig;
    io.err(
      `vaelab: ${sig}: stopping after the current steps and writing a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again stops at once)`,
    );
    controller.abort(sig);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => got,
    trainingDone(message) {
      afterTraining = message;
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** Waits for SIGINT or SIGTERM, then runs `close` (servers such as `serve` and `lab` run until interrupted). */
export function untilInterrupted(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
