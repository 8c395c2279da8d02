import { describe, expect, it } from 'vitest';
import { columnStd } from './m1Features.js';

describe('columnStd', () => {
  it('is the population standard deviation of each column, computed by hand', () => {
    // Columns: [1, 3] → mean 2, std 1; [0, 0] → 0; [−2, 2] → mean 0, std 2.
    const m = Float32Array.from([1, 0, -2, 3, 0, 2]);
    expect(Array.from(columnStd(m, 2, 3))).toEqual([1, 0, 2]);
  });
});
