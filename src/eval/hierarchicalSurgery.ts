/**
 * The top layer of the hierarchical VAE for ELBO surgery (Hoffman & Johnson 2016; seed 002): its
 * posterior is q(z2|x) = E_{q(z1|x)} q(z2|z1) (Burda et al. 2016's q(z1|x) q(z2|z1), z1 integrated out),
 * taken as the uniform mixture of q(z2|z1_s) over S draws z1_s ~ q(z1|x), exact as S grows. The draw
 * z2 ~ q(z2|z1_1) of the first component is an exact draw from q(z2|x) and from the S-mixture alike.
 * The surgery then splits E_n KL(q(z2|x_n) ‖ p(z2)) — the top layer's KL with z1 integrated out, not the
 * ELBO's E_{q(z1|x)} KL(q(z2|z1) ‖ p(z2)) — into I[n; z2] + KL(q(z2) ‖ p(z2)).
 */
import { exp, input, reshape, slice, transpose } from '../engine/ops.js';
import type { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';
import type { Source } from '../data/dataset.js';
import { batches } from '../data/batches.js';
import type { HierarchicalVAE } from '../models/hvae.js';
import { ModelGraph } from './graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';
import type { MixturePosteriors } from './surgery.js';

/** Options of {@link topLayerPosteriors}. */
export interface TopLayerOptions {
  /** Draws S of z1 per example (default 4). */
  readonly components?: number;
  readonly batch?: number;
  readonly threads?: number;
}

/** q(z2|x_n) of every example of `inputs` (preprocessed, read 'raw') as a mixture of S Gaussians. */
export async function topLayerPosteriors(
  model: HierarchicalVAE,
  inputs: Source,
  rng: Random,
  opts: TopLayerOptions = {},
): Promise<MixturePosteriors> {
  const S = opts.components ?? 4;
  const B = opts.batch ?? 100;
  const d = model.latentSize;
  const x = input('x', [B, model.dataSize]);
  const specs = [
    { name: 'eps1', shape: [S, B, model.latent1] },
    { name: 'eps2', shape: [B, d] },
  ];
  const noise = noiseInputs(specs);
  const q2 = model.q2(model.q1(x).sample(noise.eps1)); // [S, B, d]
  const first = (t: Tensor): Tensor => reshape(slice(t, 0, 0, 1), [B, d]);
  const sample = first(q2.sample(reshape(noise.eps2, [1, B, d])));
  const byExample = (t: Tensor): Tensor => transpose(t, [1, 0, 2]); // [B, S, d]: row n·S + s
  const g = await ModelGraph.compile(
    [x, noise.eps1, noise.eps2],
    { mean: byExample(q2.mu), variance: byExample(exp(q2.logVar)), sample },
    specs,
    opts.threads,
  );
  const n = inputs.n;
  const out = { mean: new Float32Array(n * S * d), variance: new Float32Array(n * S * d), sample: new Float32Array(n * d) };
  let i = 0;
  for (const b of batches(inputs, { batchSize: B, preprocess: 'raw' })) {
    const r = await g.run({ x: b.x, ...drawNoise(specs, rng) });
    out.mean.set(r.mean.subarray(0, b.size * S * d), i * S * d);
    out.variance.set(r.variance.subarray(0, b.size * S * d), i * S * d);
    out.sample.set(r.sample.subarray(0, b.size * d), i * d);
    i += b.size;
  }
  return {
    n,
    d,
    components: S,
    ...out,
    kl: null,
    posterior: `top layer z2 of the HVAE: q(z2|x) = E_{q(z1|x)} q(z2|z1), a mixture over S = ${S} draws z1 ~ q(z1|x)`,
  };
}
