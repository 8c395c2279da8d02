import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../../engine/errors.js';
import { serveDashboard } from '../../web/server.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';

/** `vaelab serve`: the dashboard over a runs folder, until interrupted. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description(COMMAND_DESCRIPTIONS.serve)
    .argument('[runs-dir]', 'the folder whose subfolders are runs', 'runs')
    .option('--port <n>', 'port to listen on (0: any free one)', int(0), 6006)
    .option('--host <h>', 'interface to listen on; other machines can connect only if you name one', '127.0.0.1')
    .option('--threads <n>', 'onnxruntime threads of the latent explorer', int(1), 1)
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          if ((o.port as number) > 65535) throw new UserError(`--port must be at most 65535, got ${o.port as number}`);
          if (!existsSync(dir) || !statSync(dir).isDirectory())
            throw new UserError(`${dir} is not a folder: pass the folder that holds your runs (vaelab train --out DIR/NAME)`);
          const server = await serveDashboard({ root: dir, port: o.port as number, host: o.host as string, threads: o.threads as number });
          ctx.io.out(`vaelab dashboard of ${dir}: ${server.url}`);
          if (!['127.0.0.1', 'localhost', '::1'].includes(o.host as string))
            ctx.io.out(`listening on ${o.host as string}: other machines on that network can read these runs`);
          await untilInterrupted(() => server.close());
        })(),
      );
    });
}
