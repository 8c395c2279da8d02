/**
 * The class-conditional generation figure of Kingma et al. (2014, Figure 1, "analogies"): each row
 * keeps one style z ~ p(z) fixed and each column decodes it with class y = 0 … C−1, μ_x(y, z).
 */
import { join } from 'node:path';
import { input } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { GraphFunction } from '../engine/function.js';
import type { LatentVariableModel } from '../models/types.js';
import { writeImageGrid, type ImageShape } from './canvas.js';
import type { Picture } from './pictures.js';

/** A model whose decoder takes [z, one-hot y] (M2). */
export interface ClassConditionalModel extends LatentVariableModel {
  readonly classes: number;
}

/** Writes `class-conditional.png`: `rows` styles z ~ N(0, I) (seeded), one column per class. */
export async function classConditionalGrid(
  model: ClassConditionalModel,
  img: ImageShape,
  dir: string,
  o: { rows: number; seed: number; threads?: number },
): Promise<Picture> {
  const C = model.classes;
  const d = model.latentSize;
  const n = o.rows * C;
  const zy = input('zy', [n, d + C]);
  const fn = await GraphFunction.create(
    { inputs: [zy], outputs: { mean: model.decodeMean(zy) }, name: 'report-class-grid' },
    { threads: o.threads },
  );
  const rng = new Random(o.seed + 0xc1a55);
  const feed = new Float32Array(n * (d + C));
  for (let r = 0; r < o.rows; r++) {
    const z = rng.fillNormal(new Float32Array(d));
    for (let c = 0; c < C; c++) {
      const row = (r * C + c) * (d + C);
      feed.set(z, row);
      feed[row + d + c] = 1;
    }
  }
  const { mean } = (await fn.run({ zy: feed })) as Record<string, Float32Array>;
  const size = writeImageGrid(join(dir, 'class-conditional.png'), mean, img, { rows: o.rows, cols: C });
  return {
    file: 'class-conditional.png',
    title: 'Class-conditional generation',
    ...size,
    caption: `μ_x(y, z): each row one z ~ p(z), each column one class y = 0…${C - 1} (Kingma et al. 2014, Figure 1: the class varies, the style stays).`,
  };
}
