/**
 * Synthetic sets with known answers: a Gaussian mixture, and the 2-D toy sets used in demos (rings,
 * pinwheel). All `'real'` float32 datasets with the generating component as the label. (pPCA data
 * lives in ppca.ts.)
 */
import type { Random } from '../engine/random.js';
import { makeDataset, type Dataset } from './dataset.js';

/** A Gaussian mixture's true parameters. */
export interface GmmParams {
  /** `k x d` component means, row-major. */
  readonly means: Float64Array;
  /** Standard deviation of every (isotropic) component. */
  readonly std: number;
  /** Mixing weights (sum 1). */
  readonly weights: Float64Array;
}

/**
 * `n` points from an equal-weight mixture of `k` isotropic Gaussians in `d` dimensions with standard
 * deviation `std`; the means are drawn from N(0, spread^2 I) (in 2-D, placed evenly on a circle of
 * radius `spread` instead, for pictures). Labels are the components.
 */
export function gaussianMixture(
  rng: Random,
  options: { n?: number; k?: number; d?: number; std?: number; spread?: number } = {},
): { dataset: Dataset; params: GmmParams } {
  const { n = 10_000, k = 8, d = 2, std = 0.3, spread = 4 } = options;
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      means[c * d + j] = d === 2 ? spread * (j === 0 ? Math.cos : Math.sin)((2 * Math.PI * c) / k) : spread * rng.normal();
    }
  }
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = means[c * d + j] + std * rng.normal();
  }
  const dataset = makeDataset({ name: 'gmm', shape: [d], n, range: 'real', data, labels });
  return { dataset, params: { means, std, weights: new Float64Array(k).fill(1 / k) } };
}

/**
 * `n` 2-D points on `k` concentric rings of radii 1, 2, ..., k (a ring chosen uniformly, angle
 * uniform, radius jittered by N(0, noise^2)). Labels are the rings (0 innermost).
 */
export function rings(rng: Random, options: { n?: number; k?: number; noise?: number } = {}): Dataset {
  const { n = 10_000, k = 3, noise = 0.08 } = options;
  const data = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ring = rng.int(k);
    const angle = 2 * Math.PI * rng.uniform();
    const r = ring + 1 + noise * rng.normal();
    labels[i] = ring;
    data[2 * i] = r * Math.cos(angle);
    data[2 * i + 1] = r * Math.sin(angle);
  }
  return makeDataset({ name: 'rings', shape: [2], n, range: 'real', data, labels });
}

/**
 * The pinwheel of Johnson et al. 2016 ("Composing graphical models with neural networks", the SVAE
 * code's `make_pinwheel_data`): `k` arms; a point of arm `c` is `f = (1 + radialStd e1, tangentialStd e2)`
 * rotated by `2 pi c / k + rate * exp(f_1)`. Points are in random order; labels are the arms.
 */
export function pinwheel(
  rng: Random,
  options: { n?: number; k?: number; radialStd?: number; tangentialStd?: number; rate?: number } = {},
): Dataset {
  const { n = 10_000, k = 5, radialStd = 0.3, tangentialStd = 0.05, rate = 0.25 } = options;
  const data = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    const f0 = 1 + radialStd * rng.normal();
    const f1 = tangentialStd * rng.normal();
    const angle = (2 * Math.PI * c) / k + rate * Math.exp(f0);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // einsum('ti,tij->tj', f, [[cos, -sin], [sin, cos]])
    data[2 * i] = f0 * cos + f1 * sin;
    data[2 * i + 1] = -f0 * sin + f1 * cos;
    labels[i] = c;
  }
  return makeDataset({ name: 'pinwheel', shape: [2], n, range: 'real', data, labels });
}
