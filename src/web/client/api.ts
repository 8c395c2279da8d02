/** The dashboard's JSON endpoints as the page calls them (types shared with the server, erased by the bundler). */
import type { ExplorerInfo, EncodedExample } from '../explorer.js';
import type { MetricsChunk, MetricsRecord } from '../metricsFile.js';
import type { RunRow } from '../runs.js';

export type { ExplorerInfo, EncodedExample, MetricsChunk, MetricsRecord, RunRow };

/** What `/api/runs/NAME` returns. */
export interface RunDetail {
  readonly row: RunRow;
  readonly config: Record<string, unknown> | null;
  readonly summary: Record<string, unknown> | null;
  /** Pictures and charts in the run's report folder. */
  readonly files: string[];
}

/** GETs `path` and parses its JSON; a non-2xx answer throws with the server's message. */
export async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path);
  const body = (await r.json()) as T & { error?: string };
  if (!r.ok) throw new Error(body.error ?? `${path}: HTTP ${r.status}`);
  return body;
}

/** The URL path of run `name` plus `rest`. */
export function runUrl(name: string, rest = ''): string {
  return `/api/runs/${encodeURIComponent(name)}${rest}`;
}

/** The URL of a file in the run's report folder. */
export function reportFileUrl(name: string, file: string): string {
  return runUrl(name, `/files/report/${encodeURIComponent(file)}`);
}
