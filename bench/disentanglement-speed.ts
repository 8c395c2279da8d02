/**
 * Time to score one dSprites run with the four disentanglement metrics, with the code cache
 * (`cachedRepresentation.ts`: each of the 737,280 grid images encoded at most once) and, with
 * `--compare`, without it on the same seed, checking the scores are identical.
 *
 *   npx tsx bench/disentanglement-speed.ts RUN_DIR [--points N] [--codes N] [--threads T] [--compare]
 *
 * Defaults are disentanglement_lib's sizes (10,000 / 5,000 points, 10,000 codes).
 */
import { loadRun } from '../src/train/experiment.js';
import { DSPRITES_SPACE, formatDisentanglement, modelRepresentation, scoreDisentanglement } from '../src/eval/disentanglement/index.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const dir = args[0];
if (!dir || dir.startsWith('--'))
  throw new Error('usage: npx tsx bench/disentanglement-speed.ts RUN_DIR [--points N] [--codes N] [--threads T] [--compare]');
const points = flag('--points', 10_000);
const codes = flag('--codes', 10_000);
const threads = flag('--threads', 1);
const run = await loadRun(dir);
const score = async (cache: boolean) => {
  const rep = await modelRepresentation(run.model, { threads, name: dir });
  const t0 = performance.now();
  const s = await scoreDisentanglement(DSPRITES_SPACE, rep, { points, codes, cache, log: (l) => console.error(l) });
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `${cache ? 'cached  ' : 'uncached'}: ${secs.toFixed(1)} s (${Object.entries(s.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')})`,
  );
  console.log(`  ${formatDisentanglement(s)}`);
  return s;
};
console.log(`${dir}: ${points} / ${Math.ceil(points / 2)} points, ${codes} codes, ${threads} thread(s)`);
const a = await score(true);
if (args.includes('--compare')) {
  const b = await score(false);
  const same = JSON.stringify({ ...a, seconds: {} }) === JSON.stringify({ ...b, seconds: {} });
  console.log(`scores identical with and without the cache: ${same}`);
}
