/** The Lab's run zip: written in memory (runArchive.ts), unpacked beside itself for `vaelab eval` (unpack.ts). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../engine/checkpoint.js';
import { UserError } from '../engine/errors.js';
import { toyDataset } from './data.js';
import { labRunArchive } from './runArchive.js';
import { defaultSettings, LabSession } from './session.js';
import { runDirFromArchive } from './unpack.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-lab-zip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Lab run zip', () => {
  it('unpacks to a run directory whose checkpoint holds the session parameters, and reuses it when unchanged', async () => {
    const s = { ...defaultSettings('rings'), hidden: [8] };
    const session = await LabSession.create(s, toyDataset('rings', s.seed), { threads: 1 });
    await session.train(3);
    const zip = join(root, 'run-a.zip');
    writeFileSync(zip, labRunArchive(session, 'run-a'));
    const dir = runDirFromArchive(zip);
    expect(dir).toBe(join(root, 'run-a'));
    const ck = await loadCheckpoint(join(dir, 'checkpoints', 'final'));
    expect(ck.step).toBe(3);
    for (const p of session.model.store.all()) expect(ck.groups.model[p.name].data).toEqual(p.value);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { train: { dataset: string; maxSteps: number } };
    expect(config.train).toMatchObject({ dataset: 'rings', maxSteps: 3 });
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; loss: number });
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(runDirFromArchive(zip)).toBe(dir);
    expect(runDirFromArchive(dir)).toBe(dir);
  });

  it('refuses a zip whose entries leave its folder, and one that would overwrite a different folder', () => {
    const evil = join(root, 'evil.zip');
    writeFileSync(evil, zipSync({ 'x/../../escape.txt': strToU8('no') }));
    expect(() => runDirFromArchive(evil)).toThrow(UserError);
    const b = join(root, 'run-b.zip');
    writeFileSync(b, zipSync({ 'run-a': { 'config.json': strToU8('{}') } }));
    expect(() => runDirFromArchive(b)).toThrow(/already exists and differs/);
    writeFileSync(join(root, 'bad.zip'), 'not a zip');
    expect(() => runDirFromArchive(join(root, 'bad.zip'))).toThrow(UserError);
  });
});
