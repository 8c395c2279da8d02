/**
 * Reading metrics.jsonl while it grows, tolerating what a crash or a reader racing the writer
 * leaves: a last line without its newline (not yet consumed: it is read again once complete) and
 * lines that are not JSON (counted, skipped).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { StepRecord, ValidationRecord } from '../train/runDir.js';

/** One metrics.jsonl record. */
export type MetricsRecord = StepRecord | ValidationRecord;

/** What {@link readMetricsFrom} read. */
export interface MetricsChunk {
  readonly records: MetricsRecord[];
  /** Byte offset just after the last complete line read: where the next read starts. */
  readonly offset: number;
  /** Complete lines that are not JSON objects with a `kind` (records of other kinds are skipped without counting). */
  readonly bad: number;
  /** Whether bytes after `offset` form an unfinished line (a writer mid-line, or a truncated file). */
  readonly partial: boolean;
}

function isRecord(v: unknown): v is MetricsRecord {
  return (
    typeof v === 'object' &&
    v !== null &&
    ((v as { kind?: unknown }).kind === 'train' || (v as { kind?: unknown }).kind === 'validation') &&
    typeof (v as { step?: unknown }).step === 'number'
  );
}

/** Parses the complete lines of `text` (everything up to its last newline). */
export function parseMetricsLines(text: string): { records: MetricsRecord[]; bad: number; consumed: number } {
  const end = text.lastIndexOf('\n') + 1;
  const records: MetricsRecord[] = [];
  let bad = 0;
  for (const line of text.slice(0, end).split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isRecord(v)) records.push(v);
      // records of kinds this page does not draw (added by later versions of the trainer) are skipped, not bad
      else if (typeof (v as { kind?: unknown } | null)?.kind !== 'string') bad++;
    } catch {
      bad++;
    }
  }
  return { records, bad, consumed: Buffer.byteLength(text.slice(0, end)) };
}

/** Reads the bytes of `path` from `offset` to its end (`limit` bytes at most) or null when the file is missing. */
export function readBytes(path: string, offset: number, limit = Infinity): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = statSync(path).size;
    const n = Math.max(0, Math.min(size - offset, limit));
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The records of the complete lines of metrics.jsonl after byte `offset` (empty when the file is missing). */
export function readMetricsFrom(path: string, offset = 0): MetricsChunk {
  const buf = readBytes(path, offset);
  if (!buf) return { records: [], offset, bad: 0, partial: false };
  const { records, bad, consumed } = parseMetricsLines(buf.toString('utf8'));
  return { records, offset: offset + consumed, bad, partial: consumed < buf.length };
}

/** The last training record among the last `tail` bytes of metrics.jsonl (cheap for long files), or null. */
export function lastTrainRecord(path: string, tail = 16_384): StepRecord | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  const buf = readBytes(path, Math.max(0, size - tail), tail);
  if (!buf) return null;
  const lines = buf.toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v: unknown = JSON.parse(lines[i]);
      if (isRecord(v) && v.kind === 'train') return v;
    } catch {
      // the first line of the tail is cut, the last may be unfinished
    }
  }
  return null;
}
