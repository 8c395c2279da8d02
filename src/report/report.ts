/**
 * `writeReport(runDir)`: the pictures of a trained run, in runDir/report/ — index.html with the
 * run's numbers, image grids (PNG) and charts (SVG). See the seeds' README: 000 (the variance law),
 * 003 (active and inactive latents, their evolution), 004 (reconstructions, samples, 2-D pictures).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ACTIVE_UNIT_THRESHOLD } from '../eval/activeUnits.js';
import { loadRun, type RunConfig, type RunSummary } from '../train/experiment.js';
import { evaluationSeed } from '../train/seeds.js';
import { readMetrics, readSummaryFile, type StepRecord, type ValidationRecord } from '../train/runDir.js';
import type { Source } from '../data/dataset.js';
import { imageShape } from './canvas.js';
import { elboChart, klChart, klCurvesChart, klPerLatentChart, renderSvg, scatterChart, varianceLawChart, type Chart } from './charts.js';
import { renderPage, type Figure, type Section } from './html.js';
import { encodeSource, type Encoded } from '../eval/encode.js';
import { byActivity, varianceLaw, type VarianceLawRow } from './latents.js';
import { generationSection, type GenerationSectionOptions } from './generation.js';
import { Random } from '../engine/random.js';
import { diagnose } from '../eval/diagnostics.js';
import { fixInputs } from '../eval/fixedInputs.js';
import { measurementSections } from './measurements.js';
import { PixelVAE } from '../models/pixelvae.js';
import { autoregressivePictures } from './autoregressivePictures.js';
import { Decoder, manifold, reconstructions, samples, traversals, type Picture } from './pictures.js';
import { disentanglementSection } from './disentanglement.js';
import { hasRateDistortion, rateDistortionCurve, rateDistortionSection } from './rateDistortion.js';
import { classConditionalGrid } from './classGrid.js';
import { classifyEncoded, confusionChart, predictedScatterChart } from './classificationCharts.js';
import { isClassifierModel } from '../eval/classification.js';

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Test examples to encode for the latent pictures and the variance law (default 2,000). */
  readonly n?: number;
  /** Prior samples per grid (default 64). */
  readonly samples?: number;
  /** α of the μ_x + α σ_x grid (Gaussian decoders; default 0.5, seed 004). */
  readonly alpha?: number;
  /** Latents shown in the traversals, the most active first (default 8). */
  readonly traversals?: number;
  /** Seed of the test examples' binarization and the sampling (default: the run's evaluation seed, `train/seeds.ts`). */
  readonly seed?: number;
  readonly threads?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Add the generation-quality section (samples per sampler with their Fréchet distance, precision, recall). */
  readonly generation?: boolean | GenerationSectionOptions;
  /** dSprites runs: training points of the section's β-VAE and FactorVAE scores (default 100). */
  readonly disentanglementPoints?: number;
}

/** What {@link writeReport} wrote. */
export interface ReportResult {
  /** Path of index.html. */
  readonly index: string;
  /** The report folder. */
  readonly dir: string;
  /** File names inside the report folder, pictures and charts. */
  readonly files: readonly string[];
  readonly pictures: readonly Picture[];
  readonly charts: readonly Chart[];
  /** Per latent E_x[σ²(x)], Var_x[μ(x)] and KL over the encoded examples (what the variance-law chart shows). */
  readonly varianceLaw: readonly VarianceLawRow[] | null;
  /** The two latents of the scatter plot, or null when there is none. */
  readonly scatterLatents: readonly [number, number] | null;
  readonly seconds: number;
}

function readSummary(dir: string): RunSummary | null {
  return readSummaryFile(dir) as RunSummary | null;
}

function configRows(c: RunConfig): Array<[string, string]> {
  const m = c.model as unknown as Record<string, unknown>;
  const o = c.objective as unknown as Record<string, unknown>;
  const t = c.train;
  const rows: Array<[string, string]> = [
    ['model', [m.kind, m.architecture].filter(Boolean).join(', ')],
    ['decoder p(x|z)', String(m.decoder ?? '–')],
    ['prior p(z)', String(m.prior ?? 'normal')],
    ['latent size d', String(m.latent)],
    ['hidden', Array.isArray(m.hidden) ? `${m.hidden.join('-')} (${m.activation ?? ''})` : '–'],
    [
      'objective',
      `${o.kind}${o.beta !== undefined && o.beta !== 1 ? `, β = ${o.beta}` : ''}${o.k !== undefined && o.k !== 1 ? `, K = ${o.k}` : ''}`,
    ],
    ['data', `${t.dataset} (binarize: ${t.binarize}${t.trainN ? `, first ${t.trainN}` : ''})`],
    ['batch / lr', `${t.batch} / ${t.lr}${t.lrSchedule.kind !== 'constant' ? ` (${t.lrSchedule.kind})` : ''}`],
    ['epochs / max steps', `${t.epochs} / ${t.maxSteps ?? '–'}`],
    ['seed', String(t.seed)],
  ];
  // Pixel support (seed 004, §5.3): say when the data were dequantized or the decoder's variance floored.
  if (t.dequantize) rows.push(['dequantized', 'x = (pixel + u)/256, u ~ U(0, 1); bits/dim include log 256 per pixel']);
  if (typeof m.decoderMinLogVar === 'number') rows.push(['decoder log σ² floor', `log σ_x² ≥ ${m.decoderMinLogVar.toFixed(2)}`]);
  return rows;
}

function labelName(source: Source, label: number): string {
  return source.labelNames?.[label] ?? String(label);
}

/**
 * Loads the run in `runDir` (config, final checkpoint, metrics.jsonl, summary.json) and writes
 * runDir/report/: index.html, reconstructions.png, samples-*.png, traversals.png, for d = 2
 * manifold.png, latent-scatter.svg, and the charts elbo.svg, kl.svg, kl-per-latent.svg,
 * variance-law.svg, kl-curves.svg (each only where the run has what it needs).
 */
export async function writeReport(runDir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const t0 = performance.now();
  const run = await loadRun(runDir, (l) => opts.log?.(`warning: ${l}`));
  const { model, config, data } = run;
  const dir = join(runDir, 'report');
  mkdirSync(dir, { recursive: true });
  const seed = opts.seed ?? evaluationSeed(config);
  const threads = opts.threads ?? config.train.threads;
  const d = model.latentSize;
  const img = imageShape(config.model.dataShape);
  const notes: string[] = [...(readSummary(runDir)?.warnings ?? [])]; // pixel-support warnings (seed 004, §5.3)

  // Encode the held-out examples once: the variance law, the scatter and the reconstructions read them.
  const split = data.test ? 'test' : data.validation ? 'validation' : 'training';
  const source = data.test ?? data.validation ?? data.train;
  const enc: Encoded = await encodeSource(model, source, { n: opts.n ?? 2000, preprocess: data.preprocess, seed, threads, keep: 96 });
  const law = model.deterministic ? null : varianceLaw(enc);
  const order = law ? byActivity(law) : Array.from({ length: d }, (_, i) => i);

  const pictures: Picture[] = [];
  let generation: Awaited<ReturnType<typeof generationSection>> | undefined;
  const extraSections: Section[] = [];
  const extraFiles: string[] = [];
  const extraCharts: Chart[] = [];
  if (img && model instanceof PixelVAE) {
    pictures.push(...(await autoregressivePictures(model, enc.inputs, enc.mu, order, img, dir, { seed, threads })));
    pictures.push(...(await samples(model, img, dir, { n: opts.samples ?? 64, alpha: opts.alpha ?? 0.5, seed, threads })));
    notes.push(
      'Autoregressive decoder (pixelvae): samples, reconstructions and traversals are drawn pixel by pixel (the grids show p(x_i = 1 | x_<i, z) along each draw).',
    );
  } else if (img) {
    const decoder = await Decoder.create(model, threads);
    pictures.push(await reconstructions(model, enc.inputs, img, dir, 16, threads));
    if (!model.deterministic)
      pictures.push(...(await samples(model, img, dir, { n: opts.samples ?? 64, alpha: opts.alpha ?? 0.5, seed, threads })));
    pictures.push(await traversals(decoder, d, order.slice(0, Math.min(d, opts.traversals ?? 8)), img, dir));
    if (d === 2) pictures.push(await manifold(decoder, img, dir));
    if (isClassifierModel(model)) pictures.push(await classConditionalGrid(model, img, dir, { rows: 8, seed, threads }));
    if (opts.generation)
      generation = await generationSection(run, runDir, dir, img, {
        threads,
        seed,
        log: opts.log,
        ...(opts.generation === true ? {} : opts.generation),
      });
    if (generation) pictures.push(...generation.pictures);
    if (hasRateDistortion(model, config.train.binarize) && data.test) {
      opts.log?.('rate–distortion curve of the lossy latent code against PCA');
      const rd = rateDistortionSection(await rateDistortionCurve(model, data.test, data.train, { threads }));
      extraCharts.push(rd.chart);
      extraSections.push(rd.section);
    }
    if (config.train.dataset === 'dsprites') {
      const dis = await disentanglementSection(model, decoder, img, dir, { points: opts.disentanglementPoints, seed, threads });
      extraSections.push(dis.section);
      extraFiles.push(...dis.files);
    }
  } else {
    notes.push(`The data (shape [${config.model.dataShape.join(', ')}]) are not images: no image grids.`);
  }

  const metrics = readMetrics(runDir, (line, file) => opts.log?.(`warning: ${file} line ${line} is not a complete record; skipped`));
  const trainRecs = metrics.filter((r): r is StepRecord => r.kind === 'train');
  const valRecs = metrics.filter((r): r is ValidationRecord => r.kind === 'validation');
  const charts: Chart[] = [];
  if (trainRecs.length > 0) charts.push(elboChart(trainRecs, valRecs), klChart(trainRecs));
  const curves = klCurvesChart(trainRecs);
  if (curves) charts.push(curves);
  if (law) {
    charts.push(varianceLawChart(law));
    if (law.every((r) => r.kl !== null)) charts.push(klPerLatentChart(law, ACTIVE_UNIT_THRESHOLD));
  }
  let scatterLatents: [number, number] | null = null;
  if (d >= 2 && enc.labels) {
    scatterLatents = d === 2 ? [0, 1] : [order[0], order[1]];
    const [a, b] = scatterLatents;
    const points = Array.from({ length: enc.n }, (_, r) => ({
      x: enc.mu[r * d + a],
      y: enc.mu[r * d + b],
      label: labelName(source, enc.labels![r]),
    }));
    charts.push(scatterChart({ latents: scatterLatents, points, twoD: d === 2 }));
    const classified = await classifyEncoded(model, source, enc, { labels: data.labels, preprocess: data.preprocess, seed, threads });
    if (classified) {
      const names = (c: number): string => labelName(source, c);
      charts.push(
        predictedScatterChart(enc, scatterLatents, classified.result, names, classified.classifier),
        confusionChart(classified.result, names, classified.classifier),
      );
    }
  }
  const diag = model.deterministic
    ? null
    : await diagnose(model, fixInputs(source, opts.n ?? 2000, data.preprocess, seed), new Random(seed), { threads });
  const measured = measurementSections(runDir, diag, valRecs, ACTIVE_UNIT_THRESHOLD);
  charts.push(...measured.charts, ...extraCharts);
  for (const c of charts) writeFileSync(join(dir, c.file), await renderSvg(c.spec));

  const fig = (p: Picture | Chart): Figure => ({ file: p.file, title: p.title, caption: p.caption });
  const all = [...pictures, ...charts];
  const pick = (...files: string[]) => files.flatMap((f) => all.filter((p) => p.file === f)).map(fig);
  const sections: Section[] = [
    { title: 'Reconstructions', figures: pick('reconstructions.png') },
    { title: 'Samples from the prior', figures: pick('samples-ancestral.png', 'samples-mean.png', 'samples-alpha.png') },
    ...(generation ? [generation.section] : []),
    {
      title: 'Latent space',
      figures: pick(
        'traversals.png',
        'manifold.png',
        'latent-scatter.svg',
        'latent-scatter-predicted.svg',
        'confusion.svg',
        'variance-law.svg',
        'kl-per-latent.svg',
      ),
    },
    { title: 'Training', figures: pick('elbo.svg', 'kl.svg', 'kl-curves.svg', 'latent-evolution.svg') },
    { title: 'Active units and collapse', figures: pick('active-units.svg', 'collapse.svg') },
    ...extraSections,
  ];
  const index = join(dir, 'index.html');
  writeFileSync(
    index,
    renderPage({
      runName: basename(resolve(runDir)),
      summary: readSummary(runDir),
      configRows: configRows(config),
      configJson: JSON.stringify(config, null, 2),
      sections,
      varianceLaw: law,
      activeThreshold: ACTIVE_UNIT_THRESHOLD,
      encodedN: enc.n,
      encodedSplit: split,
      notes,
      measurements: measured.html,
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  opts.log?.(`wrote the report (${pictures.length} pictures, ${charts.length} charts) in ${seconds.toFixed(1)} s: ${index}`);
  return {
    index,
    dir,
    files: [...pictures.map((p) => p.file), ...charts.map((c) => c.file), ...extraFiles],
    pictures,
    charts,
    varianceLaw: law,
    scatterLatents,
    seconds,
  };
}
