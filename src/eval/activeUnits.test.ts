import { describe, expect, it } from 'vitest';
import { Random } from '../engine/random.js';
import { ActiveUnits } from './activeUnits.js';

describe('active units', () => {
  it('counts latents whose posterior mean varies over x by more than 0.01', () => {
    // 4 latents: Var μ = 1, 0.04, 0.0025, 0 by construction.
    const rng = new Random(1);
    const n = 20000;
    const au = new ActiveUnits(4);
    const mu = new Float32Array(n * 4);
    for (let r = 0; r < n; r++) {
      const s = rng.normal();
      mu.set([s, 0.2 * rng.normal() + 5, 0.05 * rng.normal(), 3], r * 4);
    }
    // Fed in two batches, the second padded with garbage rows that must be ignored.
    au.add(mu.subarray(0, 8000 * 4), 8000);
    const rest = new Float32Array((n - 8000 + 5) * 4).fill(1e6);
    rest.set(mu.subarray(8000 * 4));
    au.add(rest, n - 8000);
    const a = au.activity();
    expect(a[0]).toBeCloseTo(1, 1);
    expect(a[1]).toBeCloseTo(0.04, 2);
    expect(a[2]).toBeCloseTo(0.0025, 3);
    expect(a[3]).toBe(0);
    expect(au.count()).toBe(2);
  });
});
