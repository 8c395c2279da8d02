import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

const root = mkdtempSync(join(tmpdir(), 'vaelab-serve-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const repo = resolve(import.meta.dirname, '..', '..', '..');

describe('vaelab serve', () => {
  it('refuses a runs folder that does not exist, as a user error', async () => {
    const err: string[] = [];
    expect(await main(['serve', join(root, 'nope')], { out: () => {}, err: (l) => err.push(l) })).toBe(1);
    expect(err.join('\n')).toMatch(/nope is not a folder: pass the folder that holds your runs/);
  });

  it('prints its localhost URL, answers there, and stops on SIGINT with exit code 0', async () => {
    const code = "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));";
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, '--', 'serve', root, '--port', '0'], {
      cwd: repo,
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 100 }).toMatch(/: http:\/\/127\.0\.0\.1:\d+\/\n/);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1];
      expect(await (await fetch(`${url}api/runs`)).json()).toMatchObject({ runs: [] });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
