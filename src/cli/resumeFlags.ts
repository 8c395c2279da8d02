/**
 * Which `vaelab train` flags `--resume` honours. A resumed run is the run config.json describes, so
 * every flag that would change the model, the objective, the data or the optimisation is refused
 * (naming each); the flags that change only the run's length, its speed or the final evaluation
 * are applied and written back to config.json (and named on stderr).
 */
import type { Command } from 'commander';
import type { ResumeOverrides } from '../train/experiment.js';
import { UserError } from './context.js';

/** Flags (commander attribute names) that `--resume` applies, and the flags it ignores as output switches. */
const APPLIED = ['epochs', 'maxSteps', 'stepsPerRun', 'threads', 'evalK', 'evalN', 'eval'] as const;
const OUTPUT = ['resume', 'json', 'quiet', 'report'];

const flagOf = (cmd: Command, key: string): string => cmd.options.find((o) => o.attributeName() === key)?.long ?? key;

/**
 * The overrides for {@link ResumeOverrides} from the flags given on the command line, and a line
 * saying which were applied; throws a {@link UserError} naming each flag that `--resume` refuses.
 */
export function resumeOverrides(cmd: Command, o: Record<string, unknown>): { overrides: ResumeOverrides; applied: string[] } {
  const given = Object.keys(o).filter((k) => cmd.getOptionValueSource(k) === 'cli');
  const refused = given.filter((k) => !(APPLIED as readonly string[]).includes(k) && !OUTPUT.includes(k));
  if (refused.length > 0) {
    throw new UserError(
      `--resume continues the run as its config.json describes, so it refuses ${refused.map((k) => flagOf(cmd, k)).join(', ')} ` +
        `(they would change the model, the objective, the data or the optimisation); start a new run with --out for that. ` +
        `With --resume you may change ${APPLIED.map((k) => (k === 'eval' ? '--no-eval' : flagOf(cmd, k))).join(', ')}.`,
    );
  }
  const applied = given
    .filter((k) => (APPLIED as readonly string[]).includes(k))
    .map((k) => (k === 'eval' ? '--no-eval' : `${flagOf(cmd, k)} ${String(o[k])}`));
  const num = (k: string): number | undefined => (given.includes(k) ? (o[k] as number) : undefined);
  return {
    overrides: {
      epochs: num('epochs'),
      maxSteps: num('maxSteps'),
      stepsPerRun: num('stepsPerRun'),
      threads: num('threads'),
      eval: { k: num('evalK'), n: num('evalN'), enabled: given.includes('eval') ? (o.eval as boolean) : undefined },
    },
    applied,
  };
}
