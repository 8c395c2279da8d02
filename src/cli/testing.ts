/** Running the `vaelab` command in-process for tests: the exit code and every line it wrote. */
import { main } from './main.js';

/** Runs `vaelab argv...` through {@link main}, collecting stdout and stderr lines. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
