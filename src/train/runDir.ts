/**
 * A run directory: `config.json` (everything needed to rebuild the model), `metrics.jsonl` (one
 * JSON object per logged step or evaluation), `checkpoints/` and, at the end, `summary.json`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LatentSnapshot } from '../eval/evolution.js';

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
}

/** Paths of a run directory's files. */
export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly metrics: string;
  readonly checkpoints: string;
  readonly summary: string;
}

/** The file layout of run directory `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    summary: join(dir, 'summary.json'),
  };
}

/** Creates the run directory (and checkpoints/) and writes config.json. */
export function createRunDir(dir: string, config: unknown): RunPaths {
  const p = runPaths(dir);
  mkdirSync(p.checkpoints, { recursive: true });
  writeFileSync(p.config, JSON.stringify(config, null, 2) + '\n');
  return p;
}

/** Reads a run directory's config.json (throws a message naming the path when it is missing). */
export function readRunConfig(dir: string): unknown {
  const p = runPaths(dir);
  if (!existsSync(p.config)) throw new Error(`${dir} is not a run directory: ${p.config} is missing`);
  return JSON.parse(readFileSync(p.config, 'utf8'));
}

/** Appends one record to metrics.jsonl. */
export function appendMetrics(paths: RunPaths, record: StepRecord | ValidationRecord): void {
  appendFileSync(paths.metrics, JSON.stringify(record) + '\n');
}

/** Parses metrics.jsonl (every line one JSON object). */
export function readMetrics(dir: string): Array<StepRecord | ValidationRecord> {
  const p = runPaths(dir);
  if (!existsSync(p.metrics)) return [];
  return readFileSync(p.metrics, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StepRecord | ValidationRecord);
}
