/**
 * The report's "Generation quality" section: a grid of samples per latent sampler (prior, aggregate
 * posterior, Gaussian mixture, two-stage VAE, and VampPrior pseudo-inputs where they exist) with the
 * Fréchet distance, precision, recall and label entropy of each, measured against test images in the
 * features of a classifier (seed 000: the aggregate posterior q(z) is not the prior).
 */
import { join } from 'node:path';
import { measureRunGeneration, type RunForGeneration, type RunGenerationOptions } from '../eval/generation/run.js';
import type { GenerationResult } from '../eval/generation/measure.js';
import { applicableSamplers, createSampler, runSamplerContext, type SamplerName } from '../eval/samplers/index.js';
import { squareLayout, writeImageGrid, type ImageShape } from './canvas.js';
import { esc, type Section } from './html.js';
import type { Picture } from './pictures.js';

/** Options of {@link generationSection}. */
export interface GenerationSectionOptions extends RunGenerationOptions {
  /** The samplers to show (default: every one that applies to the run). */
  readonly samplers?: readonly SamplerName[];
  /** Samples per grid (default 64). */
  readonly grid?: number;
}

const fmt = (v: number, digits: number): string => v.toFixed(digits);

/** The table of numbers under the grids. */
function resultsTable(results: readonly GenerationResult[], note: string, realScore: number | null): string {
  const rows = results.map(
    (r) =>
      `<tr><td>${esc(r.sampler)}</td><td class="num">${fmt(r.frechetDistance, 2)}</td><td class="num">${fmt(r.precision, 3)}</td><td class="num">${fmt(r.recall, 3)}</td><td class="num">${r.labelEntropy ? fmt(r.labelEntropy.conditional, 3) : '–'}</td><td class="num">${r.labelEntropy ? fmt(r.labelEntropy.marginal, 3) : '–'}</td><td class="num">${r.labelEntropy ? fmt(r.labelEntropy.score, 2) : '–'}</td></tr>`,
  );
  const real = realScore === null ? '' : ` Test images score ${fmt(realScore, 2)} on the last column.`;
  return (
    `<table><tr><th>sampler</th><th>Fréchet distance</th><th>precision</th><th>recall</th><th>H(y|x)</th><th>H(y)</th><th>exp(H(y) − H(y|x))</th></tr>${rows.join('')}</table>` +
    `<p>${esc(`${results[0]?.n ?? 0} samples (decoder means E[x|z]) against as many test images; ${note}. Precision and recall: k-NN manifolds with k = 3 (Kynkäänniemi et al. 2019). Lower Fréchet distance is better.${real}`)}</p>`
  );
}

/** Measures every sampler of the run, writes `generation-<sampler>.png` grids into `dir`, and returns the pictures and the section. */
export async function generationSection(
  run: RunForGeneration,
  runDir: string,
  dir: string,
  img: ImageShape,
  opts: GenerationSectionOptions = {},
): Promise<{ pictures: Picture[]; section: Section; results: GenerationResult[] }> {
  const samplers = opts.samplers ?? applicableSamplers(run.config.model.prior);
  const g = await measureRunGeneration(run, runDir, samplers, opts);
  const ctx = runSamplerContext(run, runDir, opts);
  const grid = Math.min(opts.grid ?? 64, g.reference.n);
  const pictures = g.results.map((r, i): Picture => {
    const file = `generation-${r.sampler}.png`;
    const size = writeImageGrid(join(dir, file), g.images[i].subarray(0, grid * run.model.dataSize), img, squareLayout(grid));
    const description = createSampler(samplers[i], ctx, opts).description;
    return {
      file,
      title: `Sampler ${r.sampler}`,
      ...size,
      caption: `${description}; decoder mean E[x|z]. Fréchet distance ${fmt(r.frechetDistance, 2)}, precision ${fmt(r.precision, 3)}, recall ${fmt(r.recall, 3)}.`,
    };
  });
  const section: Section = {
    title: 'Generation quality: samplers of the aggregate posterior',
    figures: pictures.map((p) => ({ file: p.file, title: p.title, caption: p.caption })),
    html: resultsTable(g.results, g.space.note, g.reference.labelEntropy?.score ?? null),
  };
  return { pictures, section, results: g.results };
}
