import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_CONV_PLUGIN, pngFolderVae } from './pngFolderVae.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-png-example-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A 12×12 greyscale PNG: a bright square of side 3–6 at a position set by `i`, on black. */
function squarePng(i: number): Buffer {
  const png = new PNG({ width: 12, height: 12, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const side = 3 + (i % 4);
  const x0 = (i * 5) % (12 - side);
  const y0 = (i * 3) % (12 - side);
  const grey = Buffer.alloc(144);
  for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) grey[12 * y + x] = 255;
  png.data = grey;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe.skipIf(process.env.VAELAB_QUICK)('example: a custom conv encoder on a PNG folder', () => {
  it('trains from the library on the folder, and `vaelab eval` rebuilds the model through the plugin', async () => {
    const folder = join(root, 'squares');
    mkdirSync(folder);
    for (let i = 0; i < 80; i++) writeFileSync(join(folder, `${String(i).padStart(3, '0')}.png`), squarePng(i));
    const out = join(root, 'run');
    const s = await pngFolderVae(folder, out, 60);
    expect(s.steps).toBe(60);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as {
      model: { encoderNetwork: string; dataShape: number[] };
      plugins: string[];
    };
    expect(config.model.encoderNetwork).toBe('tiny-conv');
    expect(config.model.dataShape).toEqual([1, 12, 12]);
    expect(config.plugins).toEqual([TINY_CONV_PLUGIN]);
    // The encoder's parameters are the plugin's convolutions, saved with the run.
    const final = join(out, 'checkpoints', 'final');
    const modelFile = readdirSync(final).find((f) => f.startsWith('model-'))!;
    const params = readFileSync(join(final, modelFile)).subarray(0, 4096).toString('latin1');
    expect(params).toContain('encoder.conv0.weight');
    // Learning happened: the test −ELBO is below its value at the start (144 pixels × log 2 ≈ 100 nats for a fair coin).
    expect(-s.testElbo!).toBeLessThan(100);

    const bin = fileURLToPath(new URL('../bin/vaelab.js', import.meta.url));
    const r = await promisify(execFile)(
      process.execPath,
      [bin, 'eval', out, '--eval-k', '10', '--no-surgery', '--no-pca', '--threads', '1', '--json'],
      { cwd: root },
    );
    const ev = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { testElbo: number };
    expect(ev.testElbo).toBeCloseTo(s.testElbo!, 4);
  }, 120_000);
});
