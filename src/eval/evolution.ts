/**
 * The evolution of each latent during training (seed 003's figure): at every validation, on a fixed
 * subset of validation examples (one binarization, drawn once), per layer and latent Var_x[E_q[z_u|x]],
 * E_x[Var_q[z_u|x]] and the mean KL_u (closed form for the N(0, I) prior, Monte Carlo for the
 * hierarchical VAE's z1; null where KL per latent is not defined). The trainer appends it to the
 * validation record of metrics.jsonl.
 */
import { Random } from '../engine/random.js';
import type { Source } from '../data/dataset.js';
import type { Preprocess } from '../data/batches.js';
import type { LatentVariableModel } from '../models/types.js';
import { fixInputs, type FixedInputs } from './fixedInputs.js';
import { posteriorLayers } from './posteriorLayers.js';
import { varianceLawOf } from './varianceLaw.js';

/** One layer's per-latent statistics at one validation. */
export interface LatentSnapshot {
  readonly layer: string;
  readonly varMu: number[];
  readonly meanSigma2: number[];
  /** Mean KL_u over the subset, or null where not defined. */
  readonly kl: number[] | null;
}

/** Options of {@link LatentEvolution}. */
export interface LatentEvolutionOptions {
  /** Validation examples in the fixed subset (default 1,000). */
  readonly n?: number;
  readonly preprocess?: Preprocess;
  readonly seed?: number;
  readonly threads?: number;
  /** Monte Carlo draws per example for IAF / hierarchical posteriors (default 16: cheap enough per validation). */
  readonly samples?: number;
}

const round = (v: number) => Number(v.toPrecision(5));

/** Measures the latents of `model` on a fixed subset of `validation`, each time {@link measure} is called. */
export class LatentEvolution {
  private readonly fixed: FixedInputs;

  constructor(
    readonly model: LatentVariableModel,
    validation: Source,
    readonly options: LatentEvolutionOptions = {},
  ) {
    this.fixed = fixInputs(validation, Math.min(validation.n, options.n ?? 1000), options.preprocess, options.seed ?? 0);
  }

  /** The per-layer snapshot at the model's current parameters (the same noise at every call). */
  async measure(): Promise<LatentSnapshot[]> {
    const o = this.options;
    const layers = await posteriorLayers(this.model, this.fixed.data, new Random((o.seed ?? 0) + 1), {
      threads: o.threads,
      samples: o.samples ?? 16,
    });
    return layers.map((l) => {
      const law = varianceLawOf(l.mean, l.variance, l.n, l.d, false);
      let kl: number[] | null = null;
      if (l.kl) {
        const s = new Float64Array(l.d);
        for (let i = 0; i < l.n; i++) for (let u = 0; u < l.d; u++) s[u] += l.kl[i * l.d + u];
        kl = Array.from(s, (v) => round(v / l.n));
      }
      return { layer: l.name, varMu: law.varMu.map(round), meanSigma2: law.meanSigma2.map(round), kl };
    });
  }
}
