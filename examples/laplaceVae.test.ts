import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LAPLACE_PLUGIN, laplaceVae } from './laplaceVae.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-laplace-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bin = fileURLToPath(new URL('../bin/vaelab.js', import.meta.url));

/** Runs the real `vaelab` binary (dist/), as a user would after training from the library. */
async function vaelab(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 1 << 24 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

const lastJson = (out: string): Record<string, unknown> => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe.skipIf(process.env.VAELAB_QUICK)('example: a Laplace-likelihood VAE through the whole pipeline', () => {
  const dir = join(root, 'laplace');

  it('trains from the library, recording the plugin and the registered name', async () => {
    const s = await laplaceVae(dir, 40);
    expect(s.steps).toBe(40);
    expect(Number.isFinite(s.testElbo)).toBe(true);
    expect(Number.isFinite(s.testNll)).toBe(true);
    // log w = log p(x|z) + log p(z) − log q(z|x): the NLL estimate is at most −ELBO up to noise (K = 10).
    expect(s.testNll!).toBeLessThan(-s.testElbo! + 5);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { model: { decoder: string }; plugins: string[] };
    expect(config.model.decoder).toBe('laplace');
    expect(config.plugins).toEqual([LAPLACE_PLUGIN]);
  });

  it("`vaelab eval` rebuilds it through the plugin and reproduces the run's test ELBO", async () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { testElbo: number; testNll: number };
    const r = await vaelab('eval', dir, '--eval-k', '10', '--eval-n', '100', '--no-surgery', '--no-pca', '--threads', '1', '--json');
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const ev = lastJson(r.out);
    // Same checkpoint, same seed rule (evalSeed), same test examples: the same numbers.
    expect(ev.testElbo).toBeCloseTo(summary.testElbo, 4);
    expect(ev.testNll).toBeCloseTo(summary.testNll, 4);
  });

  it('`vaelab report` writes the report of the custom-likelihood run', async () => {
    const r = await vaelab('report', dir);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toMatch(/laplace/);
  });

  it('`vaelab train --resume` continues it from its checkpoint', async () => {
    const r = await vaelab('train', '--resume', dir, '--max-steps', '60', '--quiet', '--json');
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const s = lastJson(r.out);
    expect(s.steps).toBe(60);
    expect(Number.isFinite(s.testElbo)).toBe(true);
  });

  it('a run whose plugin is gone is refused with a message naming the file', async () => {
    const moved = join(root, 'moved');
    expect((await laplaceVae(moved, 8)).steps).toBe(8);
    const config = readFileSync(join(moved, 'config.json'), 'utf8').replace(
      JSON.stringify(LAPLACE_PLUGIN),
      JSON.stringify(join(root, 'gone.ts')),
    );
    writeFileSync(join(moved, 'config.json'), config);
    const r = await vaelab('eval', moved, '--eval-k', '0', '--no-surgery', '--no-pca');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plugin .*gone\.ts: no such file/);
    expect(existsSync(join(moved, 'evaluation.json'))).toBe(false);
  });
});
