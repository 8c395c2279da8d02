/**
 * The semi-supervised protocol of Kingma et al. (2014, §4.1): N labelled training examples, balanced
 * over the classes (N / C per class) and chosen by a seed; the other training examples are used
 * without their labels.
 */
import { Random } from '../engine/random.js';
import { hasLabels, labelOf, subset, type Source, type Subset } from './dataset.js';
import { DataError } from './errors.js';

/** The two parts of a training set, as views of the same base. */
export interface LabelledSplit {
  /** The N labelled examples, in source order. */
  readonly labelled: Subset;
  /** The remaining examples (their labels unused in training), in source order. */
  readonly unlabelled: Subset;
  /** Number of classes C (from the label names, else the largest label + 1). */
  readonly classes: number;
}

/** Number of classes of a labelled source: its label names, else the largest label + 1. */
export function classCount(source: Source): number {
  if (source.labelNames) return source.labelNames.length;
  let max = -1;
  for (let i = 0; i < source.n; i++) max = Math.max(max, labelOf(source, i)!);
  return max + 1;
}

/**
 * Chooses `n` labelled examples of `source`, n / C of each class, uniformly at random within each
 * class with the generator seeded by `seed` (the same seed gives the same examples). Throws a
 * {@link DataError} when the source has no labels, n is not a multiple of C, or a class has fewer
 * than n / C examples.
 */
export function balancedLabelSplit(source: Source, n: number, seed: number): LabelledSplit {
  if (!hasLabels(source)) throw new DataError(source.name, '', `--labels needs a labelled dataset, but ${source.name} has no labels`);
  const classes = classCount(source);
  if (!Number.isInteger(n) || n < classes || n % classes !== 0) {
    throw new DataError(
      source.name,
      '',
      `--labels ${n}: expected a multiple of the ${classes} classes (balanced: the same number per class)`,
    );
  }
  const perClass = n / classes;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < source.n; i++) byClass[labelOf(source, i)!].push(i);
  const rng = new Random(seed);
  const chosen = new Uint8Array(source.n);
  byClass.forEach((members, c) => {
    if (members.length < perClass) {
      throw new DataError(
        source.name,
        '',
        `--labels ${n}: class ${c} has ${members.length} training examples, fewer than the ${perClass} asked for`,
      );
    }
    // A seeded permutation of the class's members; its first n / C are labelled.
    const order = rng.permutation(members.length);
    for (let j = 0; j < perClass; j++) chosen[members[order[j]]] = 1;
  });
  const labelled: number[] = [];
  const unlabelled: number[] = [];
  for (let i = 0; i < source.n; i++) (chosen[i] ? labelled : unlabelled).push(i);
  return {
    labelled: subset(source, Uint32Array.from(labelled), `${source.name}[labelled ${n}]`),
    unlabelled: subset(source, Uint32Array.from(unlabelled), `${source.name}[unlabelled]`),
    classes,
  };
}
