import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ADAM_WASM_BASE64 } from './adamModule.js';
import { assembleWat } from './assemble.js';
import { fusedAdam } from './fusedAdam.js';

const TINY = 2 ** -126;

/** One Adam update in float32 arithmetic, one rounding per operation, in adam.wat's order (subnormal moments to 0). */
function adamFloat32(p: number, g: number, m: number, v: number, [b1, b2, a, e, d]: number[]): [number, number, number] {
  const f = Math.fround;
  const flush = (x: number): number => (Math.abs(x) < TINY ? 0 : x);
  const m1 = flush(f(f(m * b1) + g));
  const v1 = flush(f(f(v * b2) + f(g * g)));
  return [f(f(p * d) - f(f(m1 / f(f(Math.sqrt(v1)) + e)) * a)), m1, v1];
}

describe('fused Adam (adam.wat)', () => {
  it('the committed module is adam.wat assembled', async () => {
    const bytes = await assembleWat(fileURLToPath(new URL('adam.wat', import.meta.url)));
    expect(Buffer.from(bytes).toString('base64')).toBe(ADAM_WASM_BASE64);
  });

  it('updates every parameter, SIMD lanes and tails alike, as float32 arithmetic in the graph rewrite order', () => {
    // Sizes that leave tails of 1-3 lanes, one below a vector, and a tensor after padding.
    const sizes = [37, 3, 64, 1, 130];
    const update = fusedAdam(0.9, 0.999)(sizes)!;
    expect(update).not.toBeNull();
    const rng = new Random(11);
    const before = sizes.map((size, i) => {
      const [p, g, m, v] = [update.param(i), update.grad(i), update.slot(0, i), update.slot(1, i)];
      rng.fillNormal(p);
      rng.fillNormal(g);
      rng.fillNormal(m);
      for (let j = 0; j < size; j++) v[j] = rng.uniform() * 2;
      // Moments on the way into subnormals (a weight whose gradient is 0): flushed to 0 by this update.
      for (let j = 0; j < size; j += 5) {
        g[j] = 0;
        m[j] = (j % 2 ? -1 : 1) * 1.05 * TINY;
        v[j] = 1.0005 * TINY;
      }
      return [p, g, m, v].map((a) => Float32Array.from(a));
    });
    for (const [decay, scalars] of [
      [undefined, { alpha: 1e-3, epsHat: 1e-8 }],
      [0.99, { alpha: 0.05, epsHat: 1e-3, decay: 0.99 }],
    ] as const) {
      for (let i = 0; i < sizes.length; i++) {
        update.param(i).set(before[i][0]);
        update.slot(0, i).set(before[i][2]);
        update.slot(1, i).set(before[i][3]);
      }
      update.apply(scalars);
      const f = Math.fround;
      const s = [f(0.9), f(0.999), f(scalars.alpha), f(scalars.epsHat), f(decay ?? 1)];
      sizes.forEach((size, i) => {
        for (let j = 0; j < size; j++) {
          const [p, m, v] = adamFloat32(before[i][0][j], before[i][1][j], before[i][2][j], before[i][3][j], s);
          expect([update.param(i)[j], update.slot(0, i)[j], update.slot(1, i)[j]], `tensor ${i}[${j}]`).toEqual([p, m, v]);
        }
        expect(update.grad(i)).toEqual(before[i][1]);
        for (let j = 0; j < size; j += 5) expect([update.slot(0, i)[j], update.slot(1, i)[j]]).toEqual([0, 0]);
      });
    }
  });
});
