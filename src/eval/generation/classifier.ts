/**
 * The feature network of the sample-quality measures: a small MLP classifier p(y|x) trained once on a
 * dataset's training labels with vaelab's own engine (TrainStep, Adam, cross-entropy) and cached on
 * disk by dataset and seed. Its penultimate layer is the feature space of the Fréchet distance and of
 * precision/recall (in-domain work's stand-in for FID's Inception network, which cannot be fetched
 * here and does not fit digits); its softmax gives the label entropy.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { input, mul, neg, relu, sum } from '../../engine/ops.js';
import { logSoftmax, mean, softmax } from '../../engine/composite.js';
import { adam } from '../../engine/optim.js';
import { GraphFunction } from '../../engine/function.js';
import { Random } from '../../engine/random.js';
import { TrainStep } from '../../engine/trainStep.js';
import { loadCheckpoint, parameterGroup, restoreParameters, saveCheckpoint } from '../../engine/checkpoint.js';
import type { Tensor } from '../../engine/tensor.js';
import { exampleSize, labelOf, type Source } from '../../data/dataset.js';
import { batches, type Preprocess } from '../../data/batches.js';
import { Linear } from '../../nn/linear.js';
import { ParameterStore } from '../../nn/store.js';

/** Options of {@link FeatureClassifier.trainOrLoad}. */
export interface ClassifierOptions {
  /** Hidden widths; the last is the feature size (default [256, 128]). */
  readonly hidden?: readonly number[];
  /** Passes over the training set (default 4). */
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  /** Seed of the initial weights and the shuffling (default 0). */
  readonly seed?: number;
  /** How examples become inputs (default 'grey', values in [0, 1]). */
  readonly preprocess?: Preprocess;
  /** The cache folder for this dataset and seed; the classifier is trained once and reloaded from here. */
  readonly cacheDir?: string;
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

/** Rows processed per graph run when computing features. */
const CHUNK = 100;

/** The network: MLP layers with ReLU, the last hidden activations the features, a linear head to C logits. */
class Network {
  readonly layers: Linear[];
  readonly head: Linear;
  constructor(
    readonly store: ParameterStore,
    dataSize: number,
    hidden: readonly number[],
    readonly classes: number,
  ) {
    const widths = [dataSize, ...hidden];
    this.layers = hidden.map((w, i) => new Linear(store, `classifier.${i}`, widths[i], w));
    this.head = new Linear(store, 'classifier.head', hidden[hidden.length - 1], classes);
  }

  apply(x: Tensor): { features: Tensor; logits: Tensor } {
    const features = this.layers.reduce((h, l) => relu(l.apply(h)), x);
    return { features, logits: this.head.apply(features) };
  }
}

/** A trained classifier: features φ(x) (its penultimate layer) and class probabilities p(y|x). */
export class FeatureClassifier {
  private constructor(
    private readonly fn: GraphFunction,
    /** Input size D. */
    readonly dataSize: number,
    /** Feature size F. */
    readonly featureSize: number,
    /** Number of classes C. */
    readonly classes: number,
    /** Accuracy on the held-out examples it was checked on. */
    readonly testAccuracy: number,
    /** Whether it was loaded from the cache rather than trained now. */
    readonly cached: boolean,
  ) {}

  /**
   * Loads the classifier cached in `opts.cacheDir`, or trains one on the labelled `train` set
   * (cross-entropy −Σ_c y_c log softmax(f(x))_c, Adam), measures its accuracy on `test` and caches it.
   */
  static async trainOrLoad(train: Source, test: Source, opts: ClassifierOptions = {}): Promise<FeatureClassifier> {
    const hidden = opts.hidden ?? [256, 128];
    const D = exampleSize(train);
    const classes = classCount(train);
    const net = new Network(new ParameterStore(opts.seed ?? 0), D, hidden, classes);
    const dir = opts.cacheDir;
    if (dir && existsSync(join(dir, 'checkpoint.json'))) {
      const ck = await loadCheckpoint(dir);
      restoreParameters(net.store.all(), ck.groups.classifier, dir);
      const meta = ck.metadata as { testAccuracy: number };
      return FeatureClassifier.compile(net, D, hidden, meta.testAccuracy, true, opts.threads);
    }
    const B = opts.batch ?? 100;
    const x = input('x', [B, D]);
    const y = input('y', [B, classes]);
    const { logits } = net.apply(x);
    const loss = neg(mean(sum(mul(y, logSoftmax(logits)), 1)));
    const step = await TrainStep.create({ loss, inputs: [x, y], optimizer: adam() }, { threads: opts.threads });
    const rng = new Random((opts.seed ?? 0) + 0xc1a5);
    const oneHot = new Float32Array(B * classes);
    const epochs = opts.epochs ?? 4;
    const t0 = performance.now();
    for (let e = 0; e < epochs; e++) {
      for (const b of batches(train, { batchSize: B, shuffle: rng, dropLast: true, preprocess: opts.preprocess ?? 'grey', rng })) {
        oneHot.fill(0);
        for (let i = 0; i < b.size; i++) oneHot[i * classes + b.labels![i]] = 1;
        await step.run({ x: b.x, y: oneHot }, opts.lr ?? 1e-3);
      }
    }
    const made = await FeatureClassifier.compile(net, D, hidden, 0, false, opts.threads);
    const testAccuracy = await made.accuracy(test, opts.preprocess ?? 'grey');
    opts.log?.(
      `trained the feature classifier (${[D, ...hidden, classes].join('-')}, ${epochs} epochs) in ${((performance.now() - t0) / 1000).toFixed(1)} s: test accuracy ${(100 * testAccuracy).toFixed(2)}%`,
    );
    if (dir)
      await saveCheckpoint(dir, {
        step: step.step,
        groups: { classifier: parameterGroup(net.store.all()) },
        metadata: { testAccuracy, hidden, classes, epochs },
      });
    return new FeatureClassifier(made.fn, D, made.featureSize, classes, testAccuracy, false);
  }

  private static async compile(
    net: Network,
    D: number,
    hidden: readonly number[],
    testAccuracy: number,
    cached: boolean,
    threads?: number,
  ): Promise<FeatureClassifier> {
    const x = input('x', [CHUNK, D]);
    const { features, logits } = net.apply(x);
    const fn = await GraphFunction.create(
      { inputs: [x], outputs: { features, probs: softmax(logits) }, name: 'generation-classifier' },
      { threads },
    );
    return new FeatureClassifier(fn, D, hidden[hidden.length - 1], net.classes, testAccuracy, cached);
  }

  /** Features φ(x) [n, F] and class probabilities p(y|x) [n, C] of the rows of `x` (row-major [n, D]). */
  async run(x: Float32Array): Promise<{ features: Float32Array; probs: Float32Array }> {
    const n = x.length / this.dataSize;
    const features = new Float32Array(n * this.featureSize);
    const probs = new Float32Array(n * this.classes);
    const feed = new Float32Array(CHUNK * this.dataSize);
    for (let i = 0; i < n; i += CHUNK) {
      const m = Math.min(CHUNK, n - i);
      feed.fill(0);
      feed.set(x.subarray(i * this.dataSize, (i + m) * this.dataSize));
      const r = await this.fn.run({ x: feed });
      features.set((r.features as Float32Array).subarray(0, m * this.featureSize), i * this.featureSize);
      probs.set((r.probs as Float32Array).subarray(0, m * this.classes), i * this.classes);
    }
    return { features, probs };
  }

  /** The fraction of `source`'s examples whose most probable class is their label. */
  async accuracy(source: Source, preprocess: Preprocess): Promise<number> {
    let right = 0;
    for (const b of batches(source, { batchSize: CHUNK, preprocess, rng: new Random(0) })) {
      const { probs } = await this.run(b.x.slice(0, b.size * this.dataSize));
      for (let i = 0; i < b.size; i++) {
        let best = 0;
        for (let c = 1; c < this.classes; c++) if (probs[i * this.classes + c] > probs[i * this.classes + best]) best = c;
        if (best === b.labels![i]) right++;
      }
    }
    return right / source.n;
  }
}

/** The number of classes: from the label names, else the largest label + 1. */
function classCount(source: Source): number {
  if (source.labelNames) return source.labelNames.length;
  let max = -1;
  for (let i = 0; i < source.n; i++) max = Math.max(max, labelOf(source, i) ?? -1);
  if (max < 0) throw new Error(`${source.name} has no labels: the feature classifier needs labelled data`);
  return max + 1;
}
