/**
 * The process a local pool forks for one job (see `pool.ts`): reads the job from its parent over
 * IPC, runs it with {@link runSweepJob}, and sends back progress and the outcome. A crash exits
 * non-zero with the error on stderr; a user error is sent as a message the parent reports.
 */
import { UserError } from '../engine/errors.js';
import { runSweepJob, type SweepJob } from './job.js';

/** Parent → child: the job to run. */
export interface ChildRequest {
  readonly job: SweepJob;
  readonly runsDir: string;
  readonly threads?: number;
}

/** Child → parent messages. */
export type ChildMessage =
  | { readonly type: 'progress'; readonly step: number; readonly total: number }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'done'; readonly outcome: Awaited<ReturnType<typeof runSweepJob>> }
  | { readonly type: 'user-error'; readonly message: string };

const send = (m: ChildMessage): Promise<void> => new Promise((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()));

process.once('message', (req: ChildRequest) => {
  let last = 0;
  runSweepJob(req.job, req.runsDir, {
    threads: req.threads,
    log: (line) => void send({ type: 'log', line }),
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 500 && p.step !== p.total) return;
      last = now;
      void send({ type: 'progress', ...p });
    },
  })
    .then((outcome) => send({ type: 'done', outcome }))
    .catch(async (e: unknown) => {
      if (e instanceof UserError) await send({ type: 'user-error', message: e.message });
      else {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 2;
      }
    })
    .finally(() => process.disconnect?.());
});
// Done, or the parent died (nothing would read the results; a rerun resumes from the checkpoint): exit.
process.on('disconnect', () => process.exit(process.exitCode ?? 0));
