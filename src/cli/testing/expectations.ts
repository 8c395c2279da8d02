/** Assertions shared by the tests that run the real `vaelab` command. */
import { expect } from 'vitest';
import type { VaelabResult } from './binary.js';

/** Exit code 1 and one paragraph on stderr, `vaelab: ...` matching `pattern`, without a stack trace. */
export function expectUserError(r: VaelabResult, pattern: RegExp): void {
  const context = `exit ${r.code} signal ${r.signal}\n${r.stderr}`;
  expect(r.code, context).toBe(1);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('vaelab: warning'));
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(/^vaelab: /);
  expect(lines[0], context).toMatch(pattern);
  expect(r.stderr, context).not.toMatch(/\n\s+at |internal error/);
}
