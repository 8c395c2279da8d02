/**
 * Compression of a data set with a trained run, end to end (what `vaelab compress` / `decompress` call):
 * pick the data, turn it into symbols, code it, and measure the model's −ELBO on exactly those symbols
 * so that the achieved rate can be compared with the bound it should approach.
 */
import { loadDataset } from '../data/registry.js';
import { range, subset, type Source } from '../data/dataset.js';
import { Evaluator } from '../eval/evaluate.js';
import type { LatentVariableModel } from '../models/types.js';
import { CompressError } from './errors.js';
import { compressLossless, type LosslessResult } from './lossless.js';
import { symbolsDataset, symbolsFor, type Symbols } from './symbols.js';
import { codableDecoder } from './vaeCoding.js';

/** Which examples to code: a part of a named data set or of a file/folder. */
export interface DataChoice {
  /** A data set name or a path (IDX, NPY, CSV, PNG folder). */
  readonly dataset: string;
  /** 'test', 'validation' or 'train'; default: 'test' when the set has one, else the whole file ('train'). */
  readonly split?: 'test' | 'validation' | 'train';
  /** Only the first n examples. */
  readonly n?: number;
}

/** The examples a {@link DataChoice} names. */
export function chooseData(choice: DataChoice): Source {
  const loaded = loadDataset(choice.dataset);
  const part = choice.split ?? (loaded.test ? 'test' : 'train');
  const source = loaded[part];
  if (!source) throw new CompressError(`${choice.dataset} has no ${part} part (use --split train for the whole file)`);
  if (choice.n === undefined || choice.n >= source.n) return source;
  return subset(source, range(0, choice.n), `${source.name}[:${choice.n}]`);
}

/** −ELBO of `model` on the symbols, in bits per dimension (one posterior sample per example, closed-form KL). */
export async function negativeElboBitsPerDim(model: LatentVariableModel, symbols: Symbols, seed = 0): Promise<number> {
  const ev = await new Evaluator(model, { batch: 100, k: 0, preprocess: 'grey', seed, threads: 1 }).evaluate(
    symbolsDataset(symbols, 'coded data'),
  );
  return -ev.elbo / (model.dataSize * Math.LN2);
}

/** A lossless compression with its measurements. */
export interface CompressReport extends LosslessResult {
  readonly symbols: Symbols;
  /** The model's −ELBO on the same data, bits per dimension. */
  readonly negElboBitsPerDim: number;
  /** (file bits per dim) / (−ELBO bits per dim) − 1. */
  readonly overhead: number;
}

/** Codes the chosen data with `model` and measures the rate against the model's −ELBO. */
export async function compressData(
  model: LatentVariableModel,
  choice: DataChoice,
  opts: { seed?: number; onExample?: (i: number) => void } = {},
): Promise<CompressReport> {
  const { decoder } = codableDecoder(model);
  const symbols = symbolsFor(chooseData(choice), decoder, opts.seed ?? 0);
  const result = await compressLossless(model, symbols, { seed: opts.seed, onExample: opts.onExample });
  const negElboBitsPerDim = await negativeElboBitsPerDim(model, symbols, opts.seed);
  return { ...result, symbols, negElboBitsPerDim, overhead: result.fileBitsPerDim / negElboBitsPerDim - 1 };
}
