import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('CSV', () => {
  it('reads numbers with a header, comments and a label column', () => {
    const ds = parseCsv('# comment\nlabel,a,b\n1, 0.5, 0.25\n\n0,1,0\n', 'p.csv', { labelColumn: 'first' });
    expect(ds).toMatchObject({ n: 2, shape: [2], range: 'unit' });
    expect(Array.from(ds.data)).toEqual([0.5, 0.25, 1, 0]);
    expect(Array.from(ds.labels!)).toEqual([1, 0]);
    const ws = parseCsv('1 2 3\n-4 5e2 6\n', 'w.txt');
    expect(ws).toMatchObject({ n: 2, shape: [3], range: 'real' });
    expect(Array.from(ws.data)).toEqual([1, 2, 3, -4, 500, 6]);
  });

  it('rejects a row of the wrong length, NaN and non-numbers by line and column', () => {
    expect(() => parseCsv('1,2,3\n4,5\n', 'r.csv')).toThrow(/^r\.csv \(line 2\): expected 3 values per row \(like line 1\), found 2$/);
    expect(() => parseCsv('1,2\n3,NaN\n', 'n.csv')).toThrow(/^n\.csv \(line 2, column 2\): expected a finite number, found NaN$/);
    expect(() => parseCsv('1,2\n3,abc\n', 'n.csv')).toThrow(/\(line 2, column 2\): expected a finite number, found "abc"/);
    expect(() => parseCsv('1,2\n3,\n', 'e.csv')).toThrow(/\(line 2, column 2\): expected a finite number, found ""/);
    expect(() => parseCsv('\n# nothing\n', 'z.csv')).toThrow(/z\.csv: expected at least one row of numbers/);
    expect(() => parseCsv('0.5,1.5\n', 'l.csv', { labelColumn: 'last' })).toThrow(
      /l\.csv \(row 1, column 2\): expected a non-negative integer label, found 1.5/,
    );
  });
});
