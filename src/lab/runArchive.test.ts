/** Opening a Lab run zip: parameters, step and Adam's moments back into a new session (runArchive.ts, LabSession.restore). */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toyDataset } from './data.js';
import { labRunArchive, openRunArchive } from './runArchive.js';
import { defaultSettings, LabSession } from './session.js';

const settings = { ...defaultSettings('rings'), hidden: [8] };
const newSession = () => LabSession.create(settings, toyDataset('rings', settings.seed), { threads: 1 });

/** The zip with the manifest's `optimizer` entry (and its file) removed: a checkpoint of parameters only. */
function withoutOptimizer(zip: Uint8Array): Uint8Array {
  const files = unzipSync(zip);
  const manifestName = Object.keys(files).find((n) => n.endsWith('checkpoint.json'))!;
  const manifest = JSON.parse(new TextDecoder().decode(files[manifestName])) as { files: Record<string, { file: string }> };
  const optimizerFile = manifest.files.optimizer.file;
  delete manifest.files.optimizer;
  files[manifestName] = strToU8(JSON.stringify(manifest));
  delete files[manifestName.replace('checkpoint.json', optimizerFile)];
  return zipSync(files);
}

describe('Lab run zip, opened again', () => {
  it("restores the parameters, the step and Adam's moments", async () => {
    const trained = await newSession();
    await trained.train(3);
    const run = openRunArchive(labRunArchive(trained, 'run'));
    expect(run.step).toBe(3);
    expect(run.optimizer).not.toBeNull();
    const moments = trained.optimizerState();
    expect(Object.values(moments).some((t) => t.data.some((v) => v !== 0))).toBe(true);

    const opened = await newSession();
    expect(opened.restore(run.params, run.step, run.optimizer)).toBeUndefined();
    expect(opened.step).toBe(3);
    expect(opened.parameters()).toEqual(trained.parameters());
    expect(opened.optimizerState()).toEqual(moments);
  });

  it('starts the moments at zero, and says so, when the zip has none or they do not fit', async () => {
    const trained = await newSession();
    await trained.train(2);
    const zip = labRunArchive(trained, 'run');
    const zero = (s: LabSession) => Object.values(s.optimizerState()).every((t) => t.data.every((v) => v === 0));

    const bare = openRunArchive(withoutOptimizer(zip));
    expect(bare.optimizer).toBeNull();
    const a = await newSession();
    expect(a.restore(bare.params, bare.step, bare.optimizer)).toMatch(/no optimizer state.*start at zero/);
    expect(a.parameters()).toEqual(trained.parameters());
    expect(zero(a)).toBe(true);

    const run = openRunArchive(zip);
    const [key] = Object.keys(run.optimizer!);
    const misfit = { ...run.optimizer!, [key]: { shape: [1], data: new Float32Array(1) } };
    const b = await newSession();
    expect(b.restore(run.params, run.step, misfit)).toMatch(new RegExp(`${key.replace(/[.]/g, '\\.')}.*start at zero`));
    expect(b.step).toBe(2);
    expect(zero(b)).toBe(true);
  });
});
