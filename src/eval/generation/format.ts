/** The generation numbers as the CLI prints them and as JSON (`generation` in `vaelab eval --json`). */
import type { GenerationResult } from './measure.js';

/** The `generation` record of `vaelab eval --json`. */
export function generationJson(r: GenerationResult): Record<string, unknown> {
  return {
    sampler: r.sampler,
    n: r.n,
    frechetDistance: r.frechetDistance,
    precision: r.precision,
    recall: r.recall,
    labelEntropy: r.labelEntropy,
    features: r.features,
    classifierAccuracy: r.classifierAccuracy,
    seconds: r.seconds,
  };
}

/** Human-readable lines for one sampler. */
export function generationLines(r: GenerationResult): string[] {
  const h = r.labelEntropy;
  return [
    `samples (${r.sampler}, n = ${r.n}, ${r.features} features): Fréchet distance ${r.frechetDistance.toFixed(2)}, precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}` +
      (h ? `; label entropy H(y|x) ${h.conditional.toFixed(3)}, H(y) ${h.marginal.toFixed(3)} nats (score ${h.score.toFixed(2)})` : ''),
  ];
}
