/**
 * How good a model's samples are, measured in the feature space of a classifier trained on the
 * dataset's labels (see classifier.ts): the Fréchet distance between test images and samples (Heusel
 * et al. 2017), precision and recall (Kynkäänniemi et al. 2019, k = 3) and the label entropies of the
 * samples. Data without labels fall back to the features of the trained run's own encoder, μ(x),
 * which the result says (`features: 'encoder'`).
 */
import { createHash } from 'node:crypto';
import { resolve, join } from 'node:path';
import { GraphFunction } from '../../engine/function.js';
import { input } from '../../engine/ops.js';
import { hasLabels, range, subset, type Source } from '../../data/dataset.js';
import { toBatch, type Preprocess } from '../../data/batches.js';
import { isDatasetName, loadDataset } from '../../data/registry.js';
import { encode } from '../../models/generate.js';
import type { LatentVariableModel } from '../../models/types.js';
import { CHUNK, runInChunks } from '../decode.js';
import { drawSamples } from '../sample.js';
import type { LatentSampler } from '../samplers/sampler.js';
import { FeatureClassifier } from './classifier.js';
import { featureMoments, frechetDistance, type FeatureMoments } from './frechet.js';
import { labelEntropy, type LabelEntropy } from './labelEntropy.js';
import { precisionRecall } from './precisionRecall.js';

/** A feature map φ(x) for the measures, and class probabilities where it is a classifier. */
export interface FeatureSpace {
  readonly kind: 'classifier' | 'encoder';
  readonly size: number;
  /** Test accuracy of the classifier; null for encoder features. */
  readonly classifierAccuracy: number | null;
  /** One sentence for the output: which features, and why. */
  readonly note: string;
  run(x: Float32Array): Promise<{ features: Float32Array; probs: Float32Array | null }>;
}

/** Options of {@link featureSpace}. */
export interface FeatureSpaceOptions {
  /** The run's dataset (a name or a path), as in its config; its labels train the classifier. */
  readonly dataset: string;
  /** Hold-out for datasets without a test part (the run's `train.test`). */
  readonly test?: number;
  /** Seed of the classifier and of synthetic data (default 0). */
  readonly seed?: number;
  /** Cache root (default `.vaelab-cache` in the working directory). */
  readonly cacheRoot?: string;
  /** Passes of the classifier over the training set when it is not cached (default 4). */
  readonly classifierEpochs?: number;
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

/** The classifier cache folder for a dataset and seed: names by name, paths by a hash of their absolute path. */
function cacheDir(root: string, dataset: string, seed: number): string {
  const key = isDatasetName(dataset)
    ? dataset
    : `${dataset.replace(/[^A-Za-z0-9]+/g, '-').slice(-40)}-${createHash('sha256').update(resolve(dataset)).digest('hex').slice(0, 12)}`;
  return join(root, 'classifier', `${key}-seed${seed}`);
}

/** The cache folder of a classifier that trained for a non-default number of epochs gets the count appended. */
function withEpochs(dir: string, epochs: number | undefined): string {
  return epochs === undefined ? dir : `${dir}-epochs${epochs}`;
}

/** The preprocessing that puts a source's values in [0, 1] ('grey'), or leaves real values alone. */
export const featureInput = (s: Source): Preprocess => (s.range === 'real' ? 'raw' : 'grey');

/**
 * The classifier features of `opts.dataset` (trained once, cached by dataset and seed), or, when the
 * data have no labels, the features μ(x) of `model`'s encoder.
 */
export async function featureSpace(model: LatentVariableModel, opts: FeatureSpaceOptions): Promise<FeatureSpace> {
  const seed = opts.seed ?? 0;
  const data = loadDataset(opts.dataset, { seed, test: opts.test });
  if (hasLabels(data.train) && data.test && hasLabels(data.test)) {
    const c = await FeatureClassifier.trainOrLoad(data.train, data.test, {
      seed,
      epochs: opts.classifierEpochs,
      preprocess: featureInput(data.train),
      cacheDir: withEpochs(cacheDir(opts.cacheRoot ?? '.vaelab-cache', opts.dataset, seed), opts.classifierEpochs),
      threads: opts.threads,
      log: opts.log,
    });
    return {
      kind: 'classifier',
      size: c.featureSize,
      classifierAccuracy: c.testAccuracy,
      note: `features: the ${c.featureSize} penultimate units of an MLP classifier trained on ${opts.dataset}'s labels (test accuracy ${(100 * c.testAccuracy).toFixed(2)}%${c.cached ? ', cached' : ''})`,
      run: (x) => c.run(x),
    };
  }
  const x = input('x', [CHUNK, model.dataSize]);
  const fn = await GraphFunction.create(
    { inputs: [x], outputs: { mu: encode(model, x).mu }, name: 'generation-encoder-features' },
    { threads: opts.threads },
  );
  return {
    kind: 'encoder',
    size: model.latentSize,
    classifierAccuracy: null,
    note: `features: ${opts.dataset} has no labels to train a classifier on, so the measures use the run's own encoder means μ(x) (${model.latentSize} dimensions); they compare samplers of this run, not runs`,
    run: async (rows) => ({ features: (await runInChunks(fn, 'x', rows, model.dataSize, ['mu'])).mu, probs: null }),
  };
}

/** The held-out images a sample set is compared with, in feature space. */
export interface Reference {
  readonly n: number;
  readonly features: Float32Array;
  readonly moments: FeatureMoments;
  /** The label entropies of the real images (what the samples' would be if they were as good). */
  readonly labelEntropy: LabelEntropy | null;
}

/** Features of the first `n` examples of `test` (values in [0, 1]). */
export async function reference(space: FeatureSpace, test: Source, n: number): Promise<Reference> {
  const m = Math.min(n, test.n);
  const rows = toBatch(subset(test, range(0, m)), range(0, m), { preprocess: featureInput(test) });
  const { features, probs } = await space.run(rows);
  const classes = probs ? probs.length / m : 0;
  return { n: m, features, moments: featureMoments(features, space.size), labelEntropy: probs ? labelEntropy(probs, classes) : null };
}

/** The numbers of one sampler. */
export interface GenerationResult {
  readonly sampler: string;
  /** Number of samples (and of test images) compared. */
  readonly n: number;
  readonly frechetDistance: number;
  readonly precision: number;
  readonly recall: number;
  /** Label entropies of the samples, with classifier features; null with encoder features. */
  readonly labelEntropy: LabelEntropy | null;
  readonly features: FeatureSpace['kind'];
  readonly classifierAccuracy: number | null;
  readonly seconds: number;
}

/** Scores images (row-major [n, D], values as the data's) against the reference in feature space. */
export async function scoreImages(
  space: FeatureSpace,
  ref: Reference,
  images: Float32Array,
  sampler: string,
): Promise<Omit<GenerationResult, 'seconds'>> {
  const { features, probs } = await space.run(images);
  const n = features.length / space.size;
  const pr = precisionRecall(ref.features, features, space.size, 3);
  return {
    sampler,
    n,
    frechetDistance: frechetDistance(ref.moments, featureMoments(features, space.size)),
    precision: pr.precision,
    recall: pr.recall,
    labelEntropy: probs ? labelEntropy(probs, probs.length / n) : null,
    features: space.kind,
    classifierAccuracy: space.classifierAccuracy,
  };
}

/**
 * Draws `ref.n` samples through `sampler`, decodes them to the decoder mean E[x|z] (probabilities for
 * Bernoulli decoders, μ_x for Gaussian ones: the images the classifier compares with test images) and
 * scores them. Returns the numbers and the images.
 */
export async function measureSampler(
  model: LatentVariableModel,
  sampler: LatentSampler,
  space: FeatureSpace,
  ref: Reference,
  opts: { seed?: number; threads?: number } = {},
): Promise<{ result: GenerationResult; images: Float32Array }> {
  const t0 = performance.now();
  const s = await drawSamples(model, sampler, { n: ref.n, seed: opts.seed ?? 0, threads: opts.threads });
  const scored = await scoreImages(space, ref, s.mean, sampler.name);
  return { result: { ...scored, seconds: (performance.now() - t0) / 1000 }, images: s.mean };
}
