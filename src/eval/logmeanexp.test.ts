import { describe, expect, it } from 'vitest';
import { logMeanExp, LogSumExp } from './logmeanexp.js';

describe('chunked log-mean-exp', () => {
  it('equals the direct float64 value, whatever the chunking', () => {
    const v = Array.from({ length: 1000 }, (_, i) => -900 + Math.sin(i) * 30);
    const m = Math.max(...v);
    const direct = m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0) / v.length);
    expect(logMeanExp(v)).toBeCloseTo(direct, 10);
    const acc = new LogSumExp(1);
    for (const c of [1, 7, 250, 742]) acc.add(v.splice(0, c), c, 1);
    expect(acc.logMeanExp()[0]).toBeCloseTo(direct, 10);
  });
  it('reads only the first n columns of a padded [k, stride] chunk', () => {
    const acc = new LogSumExp(2);
    // k = 2 rows, stride 3 (third column is padding and must be ignored)
    acc.add(Float32Array.of(0, -1000, NaN, 0, -1000, NaN), 2, 3);
    const r = acc.logMeanExp();
    expect(r[0]).toBeCloseTo(0, 12);
    expect(r[1]).toBeCloseTo(-1000, 9);
  });
});
