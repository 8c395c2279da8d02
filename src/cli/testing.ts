/** For the CLI's tests: runs `vaelab` in-process and collects what it printed. */
import { main } from './main.js';

/** Runs `main(argv)` with captured output: the exit code and the lines written to stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
