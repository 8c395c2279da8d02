import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { parseQueueUrl, startWorker } from '../../sweep/queue.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';

/** `vaelab worker`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description(COMMAND_DESCRIPTIONS.worker)
    .requiredOption('--queue <url>', 'the queue, redis://HOST:PORT')
    .option('--runs-dir <dir>', 'the shared runs directory (the one given to vaelab sweep)', 'runs')
    .option('--threads <n>', 'onnxruntime threads per run where the spec sets none (default: every core)', int())
    .option('--lock-seconds <s>', 'a job whose worker is silent this long is given to another worker', int(), 30)
    .option('--exit-when-empty', 'stop when the queue has nothing waiting or running (default: run until Ctrl-C)')
    .action((o: Opts) => {
      ctx.run(
        (async () => {
          const url = parseQueueUrl(String(o.queue));
          const worker = await startWorker(url, String(o.runsDir), {
            threads: o.threads as number | undefined,
            lockSeconds: o.lockSeconds as number,
            exitWhenEmpty: Boolean(o.exitWhenEmpty),
            log: (line) => ctx.io.err(`${new Date().toISOString().slice(11, 19)} ${line}`),
          });
          ctx.io.err(`worker ${process.pid} taking jobs from ${url}, runs in ${String(o.runsDir)}`);
          const stop = () => void worker.close();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          try {
            await worker.done;
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
          ctx.io.err(`worker ${process.pid} stopped`);
        })(),
      );
    });
}
