import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { UserError } from '../../engine/errors.js';
import { serveLab } from '../../lab/server.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';

/** `vaelab lab`: the in-browser VAE Lab, served locally until interrupted. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('lab')
    .description(COMMAND_DESCRIPTIONS.lab)
    .option('--port <n>', 'port to listen on (0: any free one)', int(0), 6007)
    .option('--host <h>', 'interface to listen on', '127.0.0.1')
    .action((o: Opts) => {
      ctx.run(
        (async () => {
          if ((o.port as number) > 65535) throw new UserError(`--port must be at most 65535, got ${o.port as number}`);
          const server = await serveLab({ port: o.port as number, host: o.host as string });
          ctx.io.out(`vaelab lab: ${server.url}`);
          await untilInterrupted(() => server.close());
        })(),
      );
    });
}
