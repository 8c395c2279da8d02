/**
 * A sweep spec: a name, a base (a preset and/or flags), a grid and/or a list of variations, and
 * seeds, written in YAML or JSON with the flags of `vaelab train` in camelCase. {@link parseSweepSpec}
 * validates it whole before anything runs: each error names its field (`grid.latent: empty`,
 * `base.maxStep: unknown flag`). {@link expandSweep} turns it into runs with deterministic names.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../models/config.js';
import { runFlagsSchema, type RunFlags } from '../train/flagConfig.js';

/** The flag names a spec may use (those of `vaelab train`, camelCase). */
export const FLAG_NAMES = Object.keys(runFlagsSchema.shape) as Array<keyof RunFlags>;

const flagName = z.string().refine((k) => (FLAG_NAMES as string[]).includes(k), { message: 'unknown flag' });

/** The spec as written. */
export const sweepSpecSchema = z.strictObject({
  /** The sweep's name: its folder under the runs directory and its jobs' prefix in the queue. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-" (a folder name)'),
  description: z.string().optional(),
  /** Flags every run starts from (a `preset` among them). */
  base: runFlagsSchema.default({}),
  /** Flag → values: every combination is a run (in the order written, the last flag varying fastest). */
  grid: z.record(flagName, z.array(z.unknown()).min(1, 'empty: give at least one value')).optional(),
  /** Further flag sets over the base, each crossed with the grid; `name` names it in the run names. */
  variations: z
    .array(
      runFlagsSchema.extend({
        name: z
          .string()
          .regex(/^[A-Za-z0-9._-]+$/)
          .optional(),
      }),
    )
    .min(1, 'empty: give at least one variation')
    .optional(),
  /** Seeds each configuration is run with (shorthand for `grid.seed`). */
  seeds: z.array(z.number().int().nonnegative()).min(1, 'empty: give at least one seed').optional(),
});

/** A sweep spec, validated. */
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** One run of a sweep: its name (unique in the sweep) and validated flags. */
export interface PlannedRun {
  readonly name: string;
  readonly flags: RunFlags;
}

/** A sweep expanded into its runs. */
export interface SweepPlan {
  readonly name: string;
  readonly description?: string;
  /** The flags that differ between runs, in spec order (the columns of the sweep's table). */
  readonly varied: readonly string[];
  readonly runs: readonly PlannedRun[];
}

function issuesToError(source: string, issues: readonly z.core.$ZodIssue[]): ConfigError {
  const parts = issues.flatMap((i) => {
    const at = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    if (i.code === 'unrecognized_keys')
      return i.keys.map(
        (k) =>
          `${at ? at + '.' : ''}${k}: unknown ${at === '' ? 'field (expected name, description, base, grid, variations, seeds)' : 'flag'}`,
      );
    if (i.code === 'invalid_key') return [`${at}: unknown flag`];
    return [`${at || '(root)'}: ${i.message}`];
  });
  return new ConfigError(`invalid sweep spec ${source}: ${parts.join('; ')}`);
}

/** Validates a spec object (from YAML or JSON); `source` names it in errors. */
export function parseSweepSpec(input: unknown, source = 'spec'): SweepSpec {
  const r = sweepSpecSchema.safeParse(input);
  if (!r.success) throw issuesToError(source, r.error.issues);
  const spec = r.data;
  // Each grid value must be a valid value of its flag.
  const issues: z.core.$ZodIssue[] = [];
  for (const [key, values] of Object.entries(spec.grid ?? {})) {
    const flag = runFlagsSchema.shape[key as keyof RunFlags];
    values.forEach((v, i) => {
      const p = flag.safeParse(v);
      if (!p.success || p.data === undefined)
        issues.push(
          ...(p.error?.issues ?? [{ code: 'custom', message: 'expected a value', path: [], input: v }]).map((e) => ({
            ...e,
            path: ['grid', key, i],
          })),
        );
    });
  }
  if (spec.seeds && spec.grid?.seed)
    issues.push({ code: 'custom', message: 'give seeds either here or as grid.seed, not both', path: ['seeds'], input: spec.seeds });
  if (issues.length) throw issuesToError(source, issues);
  return spec;
}

/** Reads and validates a spec file (`.yaml`, `.yml` or `.json`; YAML otherwise, a superset of JSON). */
export function readSweepSpec(path: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read sweep spec ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new ConfigError(
      `sweep spec ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}${where}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return parseSweepSpec(data, path);
}

/** A flag value as it appears in a run name (`hidden: [64, 32]` → `64x32`). */
function nameValue(v: unknown): string {
  const s = Array.isArray(v) ? v.join('x') : String(v);
  return s.replace(/[^A-Za-z0-9.-]+/g, '-');
}

const part = (flags: Record<string, unknown>): string =>
  Object.entries(flags)
    .filter(([k, v]) => k !== 'name' && v !== undefined)
    .map(([k, v]) => `${k}-${nameValue(v)}`)
    .join('_');

function cartesian(axes: ReadonlyArray<readonly [string, readonly unknown[]]>): Array<Record<string, unknown>> {
  return axes.reduce<Array<Record<string, unknown>>>(
    (acc, [key, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [key]: v }))),
    [{}],
  );
}

/**
 * Expands a spec into its runs: every variation (or the base alone) × every grid point × every seed,
 * each named by what it sets (`latent-2_seed-0`, `wide_latent-8`). Throws a {@link ConfigError} when
 * two runs get the same name or a run's flags are invalid.
 */
export function expandSweep(spec: SweepSpec, source = 'spec'): SweepPlan {
  const axes: Array<[string, unknown[]]> = Object.entries(spec.grid ?? {});
  if (spec.seeds) axes.push(['seed', spec.seeds]);
  const points = cartesian(axes);
  const variations = spec.variations ?? [undefined];
  const runs: PlannedRun[] = [];
  const seen = new Map<string, number>();
  const problems: string[] = [];
  variations.forEach((variation, vi) => {
    const { name: vname, ...vflags } = variation ?? {};
    for (const point of points) {
      const name = [vname ?? (variation ? part(vflags) || `variation-${vi}` : ''), part(point)].filter(Boolean).join('_') || 'base';
      const r = runFlagsSchema.safeParse({ ...spec.base, ...vflags, ...point });
      if (!r.success) {
        problems.push(`run ${name}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', ')}`);
        continue;
      }
      const prev = seen.get(name);
      if (prev !== undefined)
        problems.push(
          `duplicate run name ${name} (runs ${prev + 1} and ${runs.length + 1}): two runs would share a folder; remove repeated grid values or give the variations distinct names`,
        );
      seen.set(name, runs.length);
      runs.push({ name, flags: r.data });
    }
  });
  if (problems.length) throw new ConfigError(`invalid sweep spec ${source}: ${problems.join('; ')}`);
  const varied = [...new Set([...variations.flatMap((v) => Object.keys(v ?? {}).filter((k) => k !== 'name')), ...axes.map(([k]) => k)])];
  return { name: spec.name, description: spec.description, varied, runs };
}
