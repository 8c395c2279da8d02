import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../models/config.js';
import { configFromFlags } from '../train/flagConfig.js';
import { expandSweep, parseSweepSpec, readSweepSpec } from './spec.js';

const TINY = {
  name: 'tiny',
  base: { preset: 'quick', maxSteps: 150, checkpointEvery: 50, eval: false, report: false },
  grid: { latent: [2, 4], seed: [0, 1] },
};
const plan = (spec: unknown) => expandSweep(parseSweepSpec(spec));

describe('sweep spec', () => {
  it("expands the issue's JSON into four named runs, the last grid flag varying fastest", () => {
    const p = plan(TINY);
    expect(p.runs.map((r) => r.name)).toEqual(['latent-2_seed-0', 'latent-2_seed-1', 'latent-4_seed-0', 'latent-4_seed-1']);
    expect(p.varied).toEqual(['latent', 'seed']);
    expect(p.runs[3].flags).toEqual({
      preset: 'quick',
      maxSteps: 150,
      checkpointEvery: 50,
      eval: false,
      report: false,
      latent: 4,
      seed: 1,
    });
    // The flags become the run config `vaelab train --latent 4 --seed 1 ...` builds: the preset under the flags.
    const cfg = configFromFlags(p.runs[3].flags);
    expect(cfg.model).toMatchObject({ latent: 4, hidden: [512, 256] });
    expect(cfg.train).toMatchObject({ maxSteps: 150, seed: 1, checkpointEvery: 50, dataset: 'mnist' });
    expect(cfg.eval).toMatchObject({ enabled: false });
  });

  it('reads YAML with variations and seeds; names say what each run sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-spec-'));
    const path = join(dir, 's.yaml');
    writeFileSync(
      path,
      'name: beta\nbase:\n  hidden: 64,32\n  maxSteps: 10\nvariations:\n  - { name: small, beta: 0.5 }\n  - { beta: 4, k: 2 }\ngrid:\n  latent: [2]\nseeds: [3]\n',
    );
    const p = expandSweep(readSweepSpec(path));
    expect(p.runs.map((r) => r.name)).toEqual(['small_latent-2_seed-3', 'k-2_beta-4_latent-2_seed-3']);
    expect(p.runs[0].flags).toMatchObject({ hidden: [64, 32], beta: 0.5, latent: 2, seed: 3 });
    expect(new Set(p.varied)).toEqual(new Set(['beta', 'k', 'latent', 'seed']));
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });

  it('ships specs that validate', () => {
    for (const f of readdirSync('sweeps')) expect(() => expandSweep(readSweepSpec(join('sweeps', f)))).not.toThrow();
    const overpruning = expandSweep(readSweepSpec('sweeps/overpruning.yaml'));
    expect(overpruning.runs.map((r) => r.flags.latent)).toEqual([2, 4, 8, 16, 32, 64, 128]);
  });

  it('names the field of each mistake', () => {
    expect(() => plan({ ...TINY, base: { maxStep: 5 } })).toThrow(ConfigError);
    expect(() => plan({ ...TINY, base: { maxStep: 5 } })).toThrow(/invalid sweep spec spec: base\.maxStep: unknown flag/);
    expect(() => plan({ ...TINY, grid: { latnt: [2] } })).toThrow(/grid\.latnt: unknown flag/);
    expect(() => plan({ ...TINY, grid: { latent: [] } })).toThrow(/grid\.latent: empty/);
    expect(() => plan({ ...TINY, grid: { latent: [2, 'four'] } })).toThrow(/grid\.latent\[1\]: .*number/);
    expect(() => plan({ ...TINY, grid: { latent: [2, 2] } })).toThrow(/duplicate run name latent-2 \(runs 1 and 2\)/);
    expect(() =>
      plan({
        ...TINY,
        variations: [
          { name: 'a', beta: 2 },
          { name: 'a', beta: 3 },
        ],
      }),
    ).toThrow(/duplicate run name a_latent-2_seed-0 \(runs 1 and 5\)/);
    expect(() => plan({ ...TINY, name: 'a b' })).toThrow(/name: expected letters/);
    expect(() => plan({ ...TINY, gird: {} })).toThrow(/gird: unknown field/);
    expect(() => plan({ ...TINY, seeds: [1] })).toThrow(/seeds: give seeds either here or as grid\.seed/);
    expect(() => plan({ ...TINY, base: { decoder: 'poisson' } })).toThrow(/base\.decoder/);
  });

  it('names the file and line of a YAML syntax error', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vaelab-spec-')), 'bad.yaml');
    writeFileSync(path, 'name: x\ngrid:\n  latent: [2, 4\n');
    expect(() => readSweepSpec(path)).toThrow(new RegExp(`sweep spec ${path} is not valid YAML \\(line \\d\\)`));
    expect(readFileSync(path, 'utf8')).toContain('latent');
  });
});
