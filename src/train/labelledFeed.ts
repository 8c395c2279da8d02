/**
 * The labelled batch M2 reads at every training step, beside the trainer's unlabelled batch. It is a
 * pure function of the step number (its permutations and binarization draws are seeded by the run's
 * seed and the step), so a resumed run feeds the same batches without saving any state.
 */
import { Random } from '../engine/random.js';
import { labelOf, type Source } from '../data/dataset.js';
import { toBatch, type Preprocess } from '../data/batches.js';
import type { NoiseSpec } from '../models/types.js';

/** Extra per-step graph inputs: their specs and a filler for a 0-based step. */
export interface StepFeed {
  /** The inputs (name and shape) the objective reads besides x and the model's noise. */
  readonly specs: readonly NoiseSpec[];
  /** Writes step `step`'s values into `out` (one buffer per spec name, sized as the spec). */
  fill(step: number, out: Record<string, Float32Array>): void;
}

/** Options of {@link labelledFeed}. */
export interface LabelledFeedOptions {
  /** The labelled examples. */
  readonly source: Source;
  readonly classes: number;
  /** Labelled examples per step (at most source.n). */
  readonly batch: number;
  /** Latent size d of the ε input. */
  readonly latent: number;
  readonly preprocess: Preprocess;
  readonly seed: number;
}

/** Names of the labelled inputs. */
export const LABELLED_INPUTS = { x: 'xLabelled', y: 'yLabelled', eps: 'epsLabelled' } as const;

const mix = (seed: number, a: number, b: number): number =>
  (Math.imul(seed + 0x632be5ab, 0x9e3779b1) ^ Math.imul(a + 1, 0x85ebca6b) ^ Math.imul(b + 7, 0xc2b2ae35)) >>> 0;

/**
 * Step t's labelled batch: cycle ⌊t / P⌋ (P = ⌊N_l / B_l⌋ batches per pass) draws a permutation of the
 * labelled set, and step t takes its (t mod P)-th block of B_l; pixels (dynamic binarization) and ε are
 * drawn from a generator seeded by (seed, t).
 */
export function labelledFeed(o: LabelledFeedOptions): StepFeed {
  const n = o.source.n;
  const B = Math.min(o.batch, n);
  const perPass = Math.floor(n / B);
  const D = o.source.shape.reduce((a, b) => a * b, 1);
  const labels = Int32Array.from({ length: n }, (_, i) => labelOf(o.source, i)!);
  let cached: { cycle: number; order: Uint32Array } | null = null;
  const orderOf = (cycle: number): Uint32Array => {
    if (cached?.cycle !== cycle) cached = { cycle, order: new Random(mix(o.seed, cycle, 0)).permutation(n) };
    return cached.order;
  };
  return {
    specs: [
      { name: LABELLED_INPUTS.x, shape: [B, D] },
      { name: LABELLED_INPUTS.y, shape: [B, o.classes] },
      { name: LABELLED_INPUTS.eps, shape: [1, B, o.latent] },
    ],
    fill(step, out) {
      const cycle = Math.floor(step / perPass);
      const at = (step % perPass) * B;
      const positions = orderOf(cycle).subarray(at, at + B);
      const rng = new Random(mix(o.seed, step, 1));
      toBatch(o.source, positions, { preprocess: o.preprocess, rng, out: out[LABELLED_INPUTS.x] });
      const y = out[LABELLED_INPUTS.y].fill(0);
      for (let b = 0; b < B; b++) y[b * o.classes + labels[positions[b]]] = 1;
      rng.fillNormal(out[LABELLED_INPUTS.eps]);
    },
  };
}
