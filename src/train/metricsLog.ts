/**
 * metrics.jsonl: one JSON object per line, a training step ({@link StepRecord}) or a validation pass
 * ({@link ValidationRecord}), appended as the run goes. A crash can leave a truncated last line, and a
 * resumed run repeats the steps after its checkpoint: {@link repairMetrics} drops both before the run
 * appends again, and {@link readMetrics} skips (and reports) lines it cannot parse instead of failing.
 */
import type { LatentSnapshot } from '../eval/evolution.js';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of metrics.jsonl for a training step. */
export interface StepRecord {
  readonly kind: 'train';
  /** 1-based number of updates done. */
  readonly step: number;
  /** Fractional epoch at the end of this step. */
  readonly epoch: number;
  /** Loss terms of the step (means over the batch, nats per example). */
  readonly loss: number;
  readonly elbo: number;
  readonly reconstruction: number;
  readonly kl: number;
  /** Mean KL per latent dimension, where a closed form exists. */
  readonly klPerLatent?: number[];
  /** Learning rate and KL weight used by the step; capacity target where the objective has one. */
  readonly lr: number;
  readonly beta: number;
  readonly capacity: number;
  /** Seconds since the run (or the resumed part of it) started. */
  readonly time: number;
}

/** One line of metrics.jsonl for a validation pass. */
export interface ValidationRecord {
  readonly kind: 'validation';
  readonly step: number;
  readonly epoch: number;
  /** Mean ELBO over the validation set (β = 1, one sample per example). */
  readonly elbo: number;
  readonly time: number;
  /** Per layer and latent Var μ, E σ² and KL_u on a fixed validation subset (seed 003; eval/evolution.ts). */
  readonly latents?: LatentSnapshot[];
  /** For a model that classifies (M2) on labelled validation data: the fraction misclassified by argmax q(y|x). */
  readonly error?: number;
}

/** A metrics line. */
export type MetricsRecord = StepRecord | ValidationRecord;

const metricsFile = (dir: string): string => join(dir, 'metrics.jsonl');

/** Appends one record to `<paths.metrics>`. */
export function appendMetrics(paths: { readonly metrics: string }, record: MetricsRecord): void {
  appendFileSync(paths.metrics, JSON.stringify(record) + '\n');
}

function parseLine(line: string): MetricsRecord | null {
  try {
    const r = JSON.parse(line) as MetricsRecord;
    return typeof r === 'object' && r !== null && (r.kind === 'train' || r.kind === 'validation') && Number.isInteger(r.step) ? r : null;
  } catch {
    return null;
  }
}

/**
 * Parses `<dir>/metrics.jsonl`. A line that is not a metrics record is skipped and reported through
 * `onBadLine` (1-based line number), e.g. the truncated last line of a crashed run.
 */
export function readMetrics(dir: string, onBadLine?: (line: number, file: string) => void): MetricsRecord[] {
  const file = metricsFile(dir);
  if (!existsSync(file)) return [];
  const out: MetricsRecord[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      if (l.trim() === '') return;
      const r = parseLine(l);
      if (r) out.push(r);
      else onBadLine?.(i + 1, file);
    });
  return out;
}

/** What {@link repairMetrics} removed. */
export interface MetricsRepair {
  /** Lines that were not complete records (a truncated last line). */
  readonly badLines: number;
  /** Records of steps after the checkpoint, which the resumed run writes again. */
  readonly laterSteps: number;
}

/**
 * Prepares metrics.jsonl for a run resumed from a checkpoint at step `step`: keeps the complete
 * records of steps ≤ `step` and rewrites the file without the rest, so that after the resume every
 * step is logged once and the next append starts on a line of its own.
 */
export function repairMetrics(dir: string, step: number): MetricsRepair {
  const file = metricsFile(dir);
  if (!existsSync(file)) return { badLines: 0, laterSteps: 0 };
  const kept: string[] = [];
  let badLines = 0;
  let laterSteps = 0;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    const r = parseLine(l);
    if (!r) badLines++;
    else if (r.step > step) laterSteps++;
    else kept.push(l);
  }
  if (badLines > 0 || laterSteps > 0) writeFileSync(file, kept.map((l) => l + '\n').join(''));
  return { badLines, laterSteps };
}
