/**
 * The `vaelab` command (STYLE 9: a thin CLI). Each subcommand parses its flags into the library's
 * typed config and calls the library; one catch turns a user error into a one-paragraph message
 * and exit code 1. Each subcommand is a file in `commands/`; to add one, write `commands/<name>.ts`
 * exporting `register(program, ctx)` and list it in {@link COMMANDS}.
 *
 *   vaelab train [--preset NAME] [flags]      train, evaluate, write a run directory
 *   vaelab train --resume RUN_DIR             continue a run from its latest checkpoint
 *   vaelab eval RUN_DIR [--eval-k K]          test ELBO, NLL and active units of a saved run
 *   vaelab sample RUN_DIR --out FILE.png      a grid of samples
 *   vaelab encode RUN_DIR --out FILE.csv      μ and σ of q(z|x) per test example
 *   vaelab features RUN_DIR --out DIR         M1's features (μ of every example) for M1+M2
 *   vaelab export RUN_DIR --out DIR           encoder.onnx and decoder.onnx with the trained parameters
 *   vaelab report RUN_DIR                     (re)write RUN_DIR/report/index.html and its pictures
 *   vaelab serve [RUNS_DIR] [--port N]        the dashboard in the browser (read-only, localhost)
 *   vaelab lab [--port N]                     the VAE Lab: train and take apart a VAE in the browser
 *   vaelab sweep SPEC [--queue URL]           many runs from one spec, here or through a job queue
 *   vaelab worker --queue URL                 take sweep runs from the queue and train them
 *   vaelab compress RUN_DIR --out FILE        lossless bits-back coding of a data set (--lossy --bits B)
 *   vaelab decompress RUN_DIR FILE --out DIR  the images back, bit-exact (IDX or NPY)
 *   vaelab reproduce NAME [--budget B]        a seed's table or figure regenerated, seed vs vaelab side by side
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../engine/errors.js';
import type { Io, RegisterCommand } from './context.js';
import { withFlagNames } from './flags.js';
import { processIo } from './stdio.js';
import { COMMAND_DESCRIPTIONS, type CommandName } from './descriptions.js';

/**
 * The subcommands, in the order `vaelab --help` lists them, each imported only when it runs: loading
 * every command's layers (the report's charts, the dashboard server, the job queue) took most of the
 * 0.8 s that `vaelab --help` needed.
 */
const COMMANDS: Record<CommandName, () => Promise<{ register: RegisterCommand }>> = {
  train: () => import('./commands/train.js'),
  eval: () => import('./commands/eval.js'),
  sample: () => import('./commands/sample.js'),
  encode: () => import('./commands/encode.js'),
  features: () => import('./commands/features.js'),
  export: () => import('./commands/export.js'),
  report: () => import('./commands/report.js'),
  serve: () => import('./commands/serve.js'),
  lab: () => import('./commands/lab.js'),
  sweep: () => import('./commands/sweep.js'),
  worker: () => import('./commands/worker.js'),
  compress: () => import('./commands/compress.js'),
  decompress: () => import('./commands/decompress.js'),
  reproduce: () => import('./commands/reproduce.js'),
};
const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);

/**
 * The program for `argv`: the one command it names (or `help NAME` asks about) with all its flags; for
 * anything else (`--help`, no command, an unknown one) every command by name and description only.
 */
async function buildProgram(argv: readonly string[], io: Io, setResult: (p: Promise<void>) => void): Promise<Command> {
  const program = new Command('vaelab')
    .description('Variational autoencoders: train them, measure them, look at them.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: () => {},
    })
    .showHelpAfterError(false);
  const named = argv[0] === 'help' ? argv[1] : argv[0];
  if (isCommand(named)) (await COMMANDS[named]()).register(program, { io, run: setResult });
  else for (const name of Object.keys(COMMANDS) as CommandName[]) program.command(name).description(COMMAND_DESCRIPTIONS[name]);
  return program;
}

/**
 * Entry point of the `vaelab` command: runs `argv` (without the node and script arguments) and
 * returns the process exit code: 0 on success, 1 on a user error (one paragraph on stderr), 2 on a bug.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let pending: Promise<void> | undefined;
  try {
    const program = await buildProgram(argv, io, (p) => (pending = p));
    await program.parseAsync(argv, { from: 'user' });
    if (!pending && argv.length === 0) {
      io.err(program.helpInformation());
      return 1;
    }
    await pending;
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') return 1;
      io.err(`vaelab: ${e.message.replace(/^error: /, '')} (see vaelab ${argv[0] ?? ''} --help)`);
      return 1;
    }
    // The error's class decides (engine/errors.ts): a UserError is the user's to fix, anything else is a bug.
    if (e instanceof UserError) {
      io.err(`vaelab: ${withFlagNames(e.message).replace(/\s*\n\s*/g, ' ')}`);
      return (e as { exitCode?: number }).exitCode ?? 1;
    }
    io.err(
      `vaelab: internal error (a bug in vaelab; please report it with the command line): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    return 2;
  }
}
