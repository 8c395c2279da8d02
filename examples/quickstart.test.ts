import { describe, expect, it } from 'vitest';
import { quickstart } from './quickstart.js';

describe('README quickstart', () => {
  it('trains, saves, loads into a fresh model and gives the same loss', async () => {
    const r = await quickstart();
    expect(r.last).toBeLessThan(r.first);
    expect(r.after).toBe(r.before);
  });
});
