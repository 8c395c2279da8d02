import { UserError } from '../engine/errors.js';

/**
 * The one error type of the data layer. Every reader validates its input before trusting it and
 * reports a problem as a `DataError` whose message is self-contained: it names the file, the
 * position (byte offset, line, image file) and what was expected versus what was found, so that the
 * CLI can print `err.message` alone.
 */
export class DataError extends UserError {
  override readonly name = 'DataError';
  /** The file or folder the problem is in (or a dataset name when there is no file). */
  readonly file: string;
  /** Where in the file: `byte 12`, `line 7, column 3`, `image b.png`, or `''` when not applicable. */
  readonly position: string;

  /**
   * @param file the file, folder or dataset name
   * @param position where in it (`''` when the whole file is at fault)
   * @param problem what was expected and what was found, e.g. `expected magic 0x00000803, found 0x12345678`
   */
  constructor(file: string, position: string, problem: string) {
    super(`${file}${position ? ` (${position})` : ''}: ${problem}`);
    this.file = file;
    this.position = position;
  }
}

/** Formats a byte value or word as hex for error messages, e.g. `0x0803`. */
export function hex(value: number, digits = 2): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}

/** A short printable description of a number for messages (`NaN`, `Infinity`, `3.5`). */
export function describeNumber(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}
