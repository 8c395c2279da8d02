import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import type { M2 } from '../models/m2.js';
import { createModel } from '../models/registry.js';
import { Random } from '../models/testing.js';
import { classConditionalGrid } from './classGrid.js';

const dir = mkdtempSync(join(tmpdir(), 'vaelab-classgrid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('class-conditional grid (M2)', () => {
  it('decodes one z per row with y = 0..C−1 across the columns', async () => {
    const m = createModel({ kind: 'm2', classes: 3, dataShape: [1, 4, 4], hidden: [6], latent: 2 }, { seed: 1 }) as M2;
    const pic = await classConditionalGrid(m, { c: 1, h: 4, w: 4 }, dir, { rows: 2, seed: 0, threads: 1 });
    expect(existsSync(join(dir, 'class-conditional.png'))).toBe(true);
    expect(pic.width).toBeGreaterThan(pic.height);
    // decodeMean of z [N, d] uses class i mod C for row i: the same as an explicit one-hot [z, y].
    const z = new Random(3).fillNormal(new Float64Array(3 * 2));
    const zy = new Float64Array(3 * 5);
    for (let i = 0; i < 3; i++) zy.set([z[2 * i], z[2 * i + 1], ...[0, 1, 2].map((c) => (c === i ? 1 : 0))], 5 * i);
    const [a] = interpret([m.decodeMean(input('z', [3, 2]))], { z });
    const [b] = interpret([m.decodeMean(input('zy', [3, 5]))], { zy });
    Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
  });
});
