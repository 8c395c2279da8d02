/** Test helper: runs the CLI in-process and collects its exit code and output lines. */
import { main } from './main.js';

/** `vaelab ...argv` in-process: exit code, stdout lines and stderr lines. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
