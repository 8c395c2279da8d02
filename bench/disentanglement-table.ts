/**
 * The seed's disentanglement table (seed 002, Higgins et al. 2017) recomputed by vaelab's metrics on
 * dSprites: trained runs given on the command line, the untrained encoder of the first run's config,
 * PCA with as many components as its latents, and the raw pixels, all through the same code.
 *
 *   npx tsx bench/disentanglement-table.ts [--points N] [--codes N] [--threads T] [--runs-only] RUN_DIR [RUN_DIR...]
 *
 * Sizes: N training points of the β-VAE and FactorVAE scores (evaluation N/2; disentanglement_lib uses
 * 10,000), MIG and DCI on `codes` codes (default 10,000). Raw pixels skip DCI (a lasso on 4,096 codes).
 * `--runs-only` scores the given runs and leaves out the three baselines (which do not depend on them).
 */
import { createModel } from '../src/models/registry.js';
import { loadRun } from '../src/train/experiment.js';
import {
  betaVaeRecall,
  DSPRITES_SPACE,
  formatDisentanglement,
  modelRepresentation,
  pcaRepresentation,
  pixelRepresentation,
  scoreDisentanglement,
  type DisentanglementScores,
  type Representation,
} from '../src/eval/disentanglement/index.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const points = flag('--points', 1000);
const codes = flag('--codes', 10_000);
const threads = flag('--threads', 1);
const runsOnly = args.includes('--runs-only');
const dirs = args.filter((a) => a !== '--runs-only');
if (dirs.length === 0) throw new Error('usage: npx tsx bench/disentanglement-table.ts [--points N] [--codes N] [--threads T] RUN_DIR...');

const SEED: Record<string, string> = {
  'raw pixels': '45.75 ± 0.8',
  PCA: '84.9 ± 0.4',
  'VAE untrained': '44.14 ± 2.5',
  VAE: '61.58 ± 0.5',
  'β-VAE': '99.23 ± 0.1',
};
const rows: Array<{ label: string; seed: string; s: DisentanglementScores }> = [];
const score = async (label: string, seedKey: string, rep: Representation, only?: ('betaVae' | 'factorVae' | 'mig' | 'dci')[]) => {
  const s = await scoreDisentanglement(DSPRITES_SPACE, rep, { points, codes, only, log: (l) => console.error(l) });
  console.error(formatDisentanglement(s));
  rows.push({ label, seed: SEED[seedKey] ?? '–', s });
};

const first = await loadRun(dirs[0]);
for (const dir of dirs) {
  const run = dir === dirs[0] ? first : await loadRun(dir);
  const o = run.config.objective;
  const name = o.kind === 'beta' && o.beta !== 1 ? 'β-VAE' : o.kind === 'elbo' || (o.kind === 'beta' && o.beta === 1) ? 'VAE' : o.kind;
  await score(
    `${dir} (${o.kind}${o.kind === 'beta' ? `, β = ${o.beta}` : ''})`,
    name,
    await modelRepresentation(run.model, { threads, name: dir }),
  );
}
if (!runsOnly) {
  await score(
    'untrained encoder',
    'VAE untrained',
    await modelRepresentation(createModel(first.config.model, { seed: first.config.train.seed + 101 }), {
      threads,
      name: 'untrained encoder',
    }),
  );
  await score(`PCA (${first.model.latentSize} components)`, 'PCA', await pcaRepresentation(first.model.latentSize, { threads }));
  await score('raw pixels', 'raw pixels', pixelRepresentation(), ['betaVae', 'factorVae', 'mig']);
}

const pct = (v: number | undefined) => (v === undefined ? '–' : (100 * v).toFixed(1));
const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));
console.log(`\nβ-VAE and FactorVAE scores on ${points}/${Math.ceil(points / 2)} points of 64 pairs; MIG, DCI on ${codes} codes`);
console.log('| representation | β-VAE score eval (train) % | seed 002 % | FactorVAE eval % | MIG | DCI D / C / I | seconds |');
console.log('|---|---|---|---|---|---|---|');
for (const { label, seed, s } of rows) {
  const secs = Object.values(s.seconds).reduce((a, b) => a + b, 0);
  console.log(
    `| ${label} | ${pct(s.betaVaeScore?.evalAccuracy)} (${pct(s.betaVaeScore?.trainAccuracy)}) | ${seed} | ${pct(s.factorVaeScore?.evalAccuracy)} | ${f3(s.mig)} | ${s.dci ? `${f3(s.dci.disentanglement)} / ${f3(s.dci.completeness)} / ${f3(s.dci.informativeness)}` : '–'} | ${secs.toFixed(0)} |`,
  );
}
console.log(`\nβ-VAE score by fixed factor (eval recall %)`);
console.log(`| representation | ${DSPRITES_SPACE.names.join(' | ')} |`);
console.log(`|---|${DSPRITES_SPACE.names.map(() => '---|').join('')}`);
for (const { label, s } of rows) {
  const c = s.betaVaeScore?.evalConfusion;
  if (c) console.log(`| ${label} | ${betaVaeRecall(c).map(pct).join(' | ')} |`);
}
