/**
 * CSV (or whitespace-separated) files of numbers, one example per line. Blank lines and lines
 * starting with `#` are skipped; a first line that is not all numbers is taken as a header.
 * Optionally one column holds an integer label.
 */
import { readFileSync } from 'node:fs';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';

/** Options for {@link parseCsv}. */
export interface CsvOptions {
  /** Which column holds the label: `'first'`, `'last'` or a 0-based index; none by default. */
  readonly labelColumn?: 'first' | 'last' | number;
}

/**
 * Parses CSV text into a float32 {@link Dataset} of shape `[columns]`. Every row must have as many
 * values as the first; every value must be a finite number. Errors name the line and column.
 * The range is `'unit'` when all values lie in [0, 1], else `'real'`.
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): Dataset {
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let width = -1;
  let widthLine = 0;
  let separator: RegExp | null = null;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    separator ??= line.includes(',') ? /\s*,\s*/ : line.includes(';') ? /\s*;\s*/ : /\s+/;
    const fields = line.split(separator);
    if (width < 0) {
      const isHeader = fields.some((f) => f !== '' && !looksNumeric(f));
      width = fields.length;
      widthLine = li + 1;
      if (isHeader) continue;
    }
    if (fields.length !== width) {
      throw new DataError(file, `line ${li + 1}`, `expected ${width} values per row (like line ${widthLine}), found ${fields.length}`);
    }
    const row = new Array<number>(width);
    for (let c = 0; c < width; c++) {
      const f = fields[c];
      const v = f === '' ? Number.NaN : Number(f);
      if (!Number.isFinite(v)) {
        const found = looksNumeric(f) ? f : JSON.stringify(f);
        throw new DataError(file, `line ${li + 1}, column ${c + 1}`, `expected a finite number, found ${found}`);
      }
      if (!Number.isFinite(Math.fround(v))) {
        throw new DataError(
          file,
          `line ${li + 1}, column ${c + 1}`,
          `${f} overflows float32 (largest magnitude ${(3.4028234663852886e38).toExponential(4)}); rescale the data`,
        );
      }
      row[c] = v;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new DataError(file, '', 'expected at least one row of numbers, found none');
  const labelCol =
    options.labelColumn === undefined
      ? -1
      : options.labelColumn === 'first'
        ? 0
        : options.labelColumn === 'last'
          ? width - 1
          : options.labelColumn;
  if (labelCol >= width || labelCol < -1) throw new DataError(file, '', `expected a label column in [0, ${width}), found ${labelCol}`);
  const d = labelCol >= 0 ? width - 1 : width;
  const data = new Float32Array(rows.length * d);
  const labels = labelCol >= 0 ? new Int32Array(rows.length) : undefined;
  let unit = true;
  rows.forEach((row, i) => {
    let k = 0;
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (c === labelCol) {
        if (!Number.isInteger(v) || v < 0)
          throw new DataError(file, `row ${i + 1}, column ${c + 1}`, `expected a non-negative integer label, found ${v}`);
        labels![i] = v;
      } else {
        data[i * d + k++] = v;
        if (v < 0 || v > 1) unit = false;
      }
    }
  });
  return makeDataset({ name: file, shape: [d], n: rows.length, range: unit ? 'unit' : 'real', data, labels });
}

/** Reads a CSV file; see {@link parseCsv}. */
export function readCsv(path: string, options: CsvOptions = {}): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(path, '', `cannot read file: ${(e as Error).message}`);
  }
  return parseCsv(text, path, options);
}

function looksNumeric(f: string): boolean {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(f) || /^[-+]?(nan|inf|infinity)$/i.test(f);
}
