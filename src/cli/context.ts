/**
 * What every `vaelab` subcommand receives: where to write, and how to hand its work to `main`,
 * which awaits it and turns errors into exit codes (1 for a {@link UserError}, 2 for a bug).
 * Each subcommand lives in `commands/<name>.ts` and exports one `register(program, ctx)`.
 */
import type { Command } from 'commander';

export { UserError } from '../engine/errors.js';

/** The command's output: one line at a time to stdout (`out`) or stderr (`err`). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Parsed flags of one command, as commander gives them. */
export type Opts = Record<string, unknown>;

/** Passed to every command's `register`. */
export interface CommandContext {
  io: Io;
  /** Hands the command's work to `main`, which awaits it and maps its errors to exit codes. */
  run: (work: Promise<void>) => void;
}

/** A subcommand: adds itself to the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
