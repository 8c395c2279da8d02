import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/random.js';
import { cachedRepresentation } from './cachedRepresentation.js';
import { sampleFactors, type FactorSpace, type Representation } from './factors.js';
import { linearRepresentation, randomRotation } from './representations.js';
import { scoreDisentanglement } from './score.js';

const space: FactorSpace = { names: ['a', 'b', 'c'], sizes: [3, 4, 5] };

/** A rotation of the standardised factors that counts the rows it encodes. */
function counted(): { rep: Representation; rows: () => number } {
  const inner = linearRepresentation(space, randomRotation(3, new Random(4)), 3, 'rotation');
  let rows = 0;
  return {
    rep: { name: inner.name, size: 3, encode: (f, n) => ((rows += n), inner.encode(f, n)) },
    rows: () => rows,
  };
}

describe('cachedRepresentation', () => {
  it('returns the same codes as the representation and encodes each grid point once', async () => {
    const { rep, rows } = counted();
    const cached = cachedRepresentation(space, rep)!;
    const rng = new Random(2);
    for (let call = 0; call < 5; call++) {
      const f = sampleFactors(space, 100, rng);
      expect(Array.from(await cached.encode(f, 100))).toEqual(Array.from(await rep.encode(f, 100)));
    }
    // 500 draws from 60 points: every point seen, each encoded once by the cache (the other 500 rows
    // counted are the direct calls above).
    expect(cached.stats).toEqual({ requested: 500, encoded: 60 });
    expect(rows()).toBe(560);
  });

  it('gives up (null) when the grid of codes would not fit in maxValues', () => {
    expect(cachedRepresentation(space, counted().rep, 179)).toBeNull();
    expect(cachedRepresentation(space, counted().rep, 180)).not.toBeNull();
  });

  it('leaves every score unchanged', async () => {
    const opts = { points: 300, codes: 500, seed: 3 };
    const a = await scoreDisentanglement(space, counted().rep, { ...opts, cache: false });
    const b = await scoreDisentanglement(space, counted().rep, opts);
    expect({ ...b, seconds: {} }).toEqual({ ...a, seconds: {} });
  });
});
