/**
 * The report's pictures of a run that classifies (M2, or M1 for a run with labels): the latent scatter
 * coloured by the predicted class with the misclassified points marked (beside latent-scatter.svg,
 * coloured by the true class), and the confusion matrix of the same test examples.
 */
import { range, subset, type Source } from '../data/dataset.js';
import type { Preprocess } from '../data/batches.js';
import { classifySource, isClassifierModel, type ClassificationResult } from '../eval/classification.js';
import type { Encoded } from '../eval/encode.js';
import { m1Classification } from '../eval/m1.js';
import type { LabelledSplit } from '../data/labelledSplit.js';
import type { LatentVariableModel } from '../models/types.js';
import { CONFIG, type Chart } from './charts.js';

/** Rows of the confusion chart: true class t, predicted class p, the count and its share of class t. */
export function confusionCells(
  confusion: readonly (readonly number[])[],
  names: (c: number) => string,
): Array<{ truth: string; predicted: string; count: number; share: number }> {
  return confusion.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({ truth: names(t), predicted: names(p), count, share: total > 0 ? count / total : 0 }));
  });
}

/** The confusion matrix as a heat map (rows: true class, columns: predicted class), each cell labelled with its count. */
export function confusionChart(r: ClassificationResult, names: (c: number) => string, classifier: string): Chart {
  const order = r.confusion.map((_, c) => names(c));
  const base = {
    x: { field: 'predicted', type: 'nominal', sort: order, title: 'predicted class' },
    y: { field: 'truth', type: 'nominal', sort: order, title: 'true class' },
  };
  return {
    file: 'confusion.svg',
    title: 'Confusion matrix',
    caption: `True against predicted class (${classifier}) of ${r.n} test images; test error ${(100 * r.testError).toFixed(2)} %. Shade: share of the true class.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: 360,
      height: 360,
      data: { values: confusionCells(r.confusion, names) },
      layer: [
        {
          mark: 'rect',
          encoding: {
            ...base,
            color: { field: 'share', type: 'quantitative', title: 'share', scale: { scheme: 'blues', domain: [0, 1] } },
          },
        },
        {
          mark: { type: 'text', fontSize: 9 },
          encoding: {
            ...base,
            text: { field: 'count', type: 'quantitative' },
            color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
          },
        },
      ],
    } as Chart['spec'],
  };
}

/** The scatter of latent-scatter.svg coloured by the predicted class; misclassified points are crosses. */
export function predictedScatterChart(
  enc: Encoded,
  latents: readonly [number, number],
  r: ClassificationResult,
  names: (c: number) => string,
  classifier: string,
): Chart {
  const [a, b] = latents;
  const d = enc.d;
  const points = Array.from({ length: enc.n }, (_, i) => ({
    x: enc.mu[i * d + a],
    y: enc.mu[i * d + b],
    predicted: names(r.predictions[i]),
    outcome: enc.labels && enc.labels[i] === r.predictions[i] ? 'correct' : 'misclassified',
  }));
  return {
    file: 'latent-scatter-predicted.svg',
    title: 'Posterior means by predicted class',
    caption: `The points of the posterior-means scatter coloured by the class ${classifier} predicts; crosses are misclassified (${(100 * r.testError).toFixed(1)} % of these ${r.n}).`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      width: 380,
      height: 380,
      data: { values: points },
      mark: { type: 'point', size: 14, opacity: 0.8, filled: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: `μ(x) on z${a}`, scale: { zero: false } },
        y: { field: 'y', type: 'quantitative', title: `μ(x) on z${b}`, scale: { zero: false } },
        color: { field: 'predicted', type: 'nominal', title: 'predicted', scale: { scheme: 'tableau10' } },
        shape: {
          field: 'outcome',
          type: 'nominal',
          title: 'outcome',
          scale: { domain: ['correct', 'misclassified'], range: ['circle', 'cross'] },
        },
      },
    } as Chart['spec'],
  };
}

/**
 * Classifies the first `enc.n` examples of `source` (those encoded for the scatter) with the run's
 * classifier: argmax q(y|x) for M2, M1's nearest neighbour on μ for a run with labels; null otherwise.
 */
export async function classifyEncoded(
  model: LatentVariableModel,
  source: Source,
  enc: Encoded,
  o: { labels?: LabelledSplit; preprocess: Preprocess; seed: number; threads?: number },
): Promise<{ result: ClassificationResult; classifier: string } | null> {
  if (!enc.labels) return null;
  const shown = enc.n < source.n ? subset(source, range(0, enc.n), source.name) : source;
  const opts = { preprocess: o.preprocess, seed: o.seed, threads: o.threads };
  if (isClassifierModel(model)) return { result: await classifySource(model, shown, opts), classifier: 'M2, argmax q(y|x)' };
  if (!o.labels) return null;
  return {
    result: await m1Classification(model, o.labels.labelled, shown, { ...opts, classes: o.labels.classes }),
    classifier: 'M1, 1-NN on μ(x)',
  };
}
