/**
 * The per-layer diagnostics of one evaluation: active units, the variance law, the aggregate
 * posterior's moments and posterior collapse, for every stochastic layer (seeds 000, 002, 003, 004).
 */
import type { Random } from '../engine/random.js';
import { HierarchicalVAE } from '../models/hvae.js';
import type { LatentVariableModel } from '../models/types.js';
import { VAE } from '../models/vae.js';
import { collapseOf, type Collapse } from './collapse.js';
import type { FixedInputs } from './fixedInputs.js';
import { gaussianMixtureMoments, sampleMoments, type Moments } from './moments.js';
import { posteriorLayers, type LayerPosterior, type PosteriorLayersOptions } from './posteriorLayers.js';
import { countActive, varianceLawOf, type VarianceLaw } from './varianceLaw.js';

/** The diagnostics of one stochastic layer. */
export interface LayerDiagnostics {
  /** 'z', or 'z1' / 'z2' for the hierarchical VAE. */
  readonly name: string;
  readonly size: number;
  /** Latents with Var_x[E_q[z_u|x]] > 0.01 (Burda et al. 2016). */
  readonly activeUnits: number;
  readonly varianceLaw: VarianceLaw;
  /** Moments of q(z): exact for Gaussian posteriors, else from one draw z ~ q(z|x) per example. */
  readonly aggregateMoments: Moments;
  /** Null where KL per latent is not defined (flows; non-factorised priors). */
  readonly collapse: Collapse | null;
}

/** The diagnostics of a model: per layer, and the top layer's at the top level. */
export interface Diagnostics {
  readonly layers: LayerDiagnostics[];
  /** Active units in each layer, bottom first (the IWAE table's "16+5"). */
  readonly activeUnitsPerLayer: number[];
  /** Active units over all layers. */
  readonly activeUnits: number;
  /** The top layer's (the model's latentSize) variance law, moments and collapse. */
  readonly varianceLaw: VarianceLaw;
  readonly aggregateMoments: Moments;
  readonly collapse: Collapse | null;
  /** Mean KL per latent of the top layer, where defined. */
  readonly klPerLatent: number[] | null;
}

/**
 * True when the model's prior p(z) of its top layer is N(0, I): read from the config for vaelab's VAE
 * and HVAE; other implementations of the model contract are taken to have it unless deterministic.
 */
export function hasStandardPrior(model: LatentVariableModel): boolean {
  return model instanceof VAE || model instanceof HierarchicalVAE ? model.config.prior === 'standard' : !model.deterministic;
}

/** The diagnostics of one layer's posterior moments; `standardPrior` says whether p(z) of that layer is N(0, I). */
export function layerDiagnostics(l: LayerPosterior, standardPrior: boolean, epsilon?: number): LayerDiagnostics {
  const law = varianceLawOf(l.mean, l.variance, l.n, l.d, standardPrior);
  return {
    name: l.name,
    size: l.d,
    activeUnits: countActive(law.varMu),
    varianceLaw: law,
    aggregateMoments: l.gaussian ? gaussianMixtureMoments(l.mean, l.variance, l.n, l.d) : sampleMoments(l.sample, l.n, l.d),
    collapse: l.kl ? collapseOf(l.kl, l.n, l.d, epsilon) : null,
  };
}

function meanKl(l: LayerPosterior): number[] | null {
  if (!l.kl) return null;
  const m = new Float64Array(l.d);
  for (let i = 0; i < l.n; i++) for (let u = 0; u < l.d; u++) m[u] += l.kl[i * l.d + u];
  return Array.from(m, (v) => v / l.n);
}

/** Computes the diagnostics of `model` on the fixed inputs, noise from `rng`. */
export async function diagnose(
  model: LatentVariableModel,
  fixed: FixedInputs,
  rng: Random,
  opts: PosteriorLayersOptions & { epsilon?: number } = {},
): Promise<Diagnostics> {
  const post = await posteriorLayers(model, fixed.data, rng, opts);
  const top = post.length - 1;
  const layers = post.map((l, i) => layerDiagnostics(l, i === top && hasStandardPrior(model), opts.epsilon));
  const t = layers[top];
  return {
    layers,
    activeUnitsPerLayer: layers.map((l) => l.activeUnits),
    activeUnits: layers.reduce((s, l) => s + l.activeUnits, 0),
    varianceLaw: t.varianceLaw,
    aggregateMoments: t.aggregateMoments,
    collapse: t.collapse,
    klPerLatent: meanKl(post[top]),
  };
}
