/**
 * The last step of ancestral sampling (seed 004, Algorithm 6, step 3) inside the graph: x ~ p(x|z) from
 * the decoder's outputs and per-pixel noise fed by the caller (DESIGN.md: noise comes from TypeScript).
 */
import type { Tensor } from '../engine/tensor.js';
import type { Likelihood } from './likelihood.js';
import { noiseInput } from './priors.js';
import type { GeneratedOutputs, NoiseSpec } from './types.js';

/** The noise of the decoder's draw for n examples of size D: U(0, 1) or N(0, 1) as the likelihood reads it. */
export const decoderDrawNoise = (likelihood: Likelihood, n: number, dataSize: number): NoiseSpec => ({
  name: 'decoder.draw',
  shape: [n, dataSize],
  kind: likelihood.sampleNoise,
});

/** E[x|z], σ_x(z) and one draw x ~ p(x|z) from the decoder outputs `out` [n, P·D]. */
export function decoderDraw(likelihood: Likelihood, out: Tensor, noise: Record<string, Tensor>, dataSize: number): GeneratedOutputs {
  const u = noiseInput(noise, decoderDrawNoise(likelihood, out.shape[0], dataSize));
  return { mean: likelihood.mean(out), std: likelihood.std(out), sample: likelihood.sample(out, u) };
}
