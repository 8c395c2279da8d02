/**
 * All four disentanglement metrics of one representation, with the keys `vaelab eval --disentanglement`
 * prints: `betaVaeScore`, `factorVaeScore`, `mig`, `dci`.
 */
import { betaVaeRecall, betaVaeScore, type BetaVaeScore } from './betaVae.js';
import { cachedRepresentation } from './cachedRepresentation.js';
import { dciScore, type DciResult } from './dci.js';
import type { FactorSpace, Representation } from './factors.js';
import { factorVaeScore, type FactorVaeScore } from './factorVae.js';
import { migScore, type MigResult } from './mig.js';

/** Sizes and seed of {@link scoreDisentanglement}; the defaults are disentanglement_lib's. */
export interface DisentanglementOptions {
  /** Training points of the β-VAE and FactorVAE scores (default 10,000); their evaluation points are half as many. */
  readonly points?: number;
  /** Codes of MIG, of DCI's fit and of FactorVAE's global variances (default 10,000; DCI's held-out set is half as many). */
  readonly codes?: number;
  readonly seed?: number;
  /** Skip the β-VAE and FactorVAE scores (MIG and DCI only; for very wide codes such as raw pixels use `only`). */
  readonly only?: readonly ('betaVae' | 'factorVae' | 'mig' | 'dci')[];
  readonly log?: (line: string) => void;
  /** Encode each grid point at most once across the metrics (default true; see `cachedRepresentation.ts`). */
  readonly cache?: boolean;
}

/** The scores of one representation. */
export interface DisentanglementScores {
  readonly representation: string;
  /** The factor names, in the order of the confusion matrix's rows and the MIG matrix's columns. */
  readonly factors: readonly string[];
  readonly betaVaeScore: BetaVaeScore | null;
  readonly factorVaeScore: FactorVaeScore | null;
  readonly mig: number | null;
  /** I(z_j; v_k) in nats, latents × factors (the columns in the order of `factors`), for the report's heat map. */
  readonly migMatrix: { readonly mi: number[][]; readonly entropy: number[] } | null;
  readonly dci: Pick<DciResult, 'disentanglement' | 'completeness' | 'informativeness'> | null;
  /** Seconds per metric. */
  readonly seconds: Readonly<Record<string, number>>;
}

/** Runs the metrics on `rep` over `space`. */
export async function scoreDisentanglement(
  space: FactorSpace,
  given: Representation,
  opts: DisentanglementOptions = {},
): Promise<DisentanglementScores> {
  const cached = opts.cache === false ? null : cachedRepresentation(space, given);
  const rep = cached ?? given;
  const points = opts.points ?? 10_000;
  const codes = opts.codes ?? 10_000;
  const seed = opts.seed ?? 0;
  const want = new Set(opts.only ?? ['betaVae', 'factorVae', 'mig', 'dci']);
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    seconds[name] = (performance.now() - t0) / 1000;
    opts.log?.(
      `${rep.name}: ${name} in ${seconds[name].toFixed(1)} s${cached ? ` (${cached.stats.encoded} of ${cached.stats.requested} rows encoded so far)` : ''}`,
    );
    return r;
  };
  const beta = want.has('betaVae')
    ? await timed('betaVae', () => betaVaeScore(space, rep, { train: points, eval: Math.ceil(points / 2), seed }))
    : null;
  const factor = want.has('factorVae')
    ? await timed('factorVae', () =>
        factorVaeScore(space, rep, { train: points, eval: Math.ceil(points / 2), varianceN: codes, seed: seed + 1 }),
      )
    : null;
  const mig: MigResult | null = want.has('mig') ? await timed('mig', () => migScore(space, rep, { n: codes, seed: seed + 2 })) : null;
  const dci = want.has('dci')
    ? await timed('dci', () => dciScore(space, rep, { train: codes, test: Math.ceil(codes / 2), seed: seed + 3 }))
    : null;
  return {
    representation: rep.name,
    factors: space.names,
    betaVaeScore: beta,
    factorVaeScore: factor,
    mig: mig?.mig ?? null,
    migMatrix: mig ? { mi: mig.mi, entropy: mig.entropy } : null,
    dci: dci ? { disentanglement: dci.disentanglement, completeness: dci.completeness, informativeness: dci.informativeness } : null,
    seconds,
  };
}

const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(100 * v).toFixed(1)} %`);

/** The scores as text (the CLI's human-readable output): one line, and the β-VAE score per fixed factor. */
export function formatDisentanglement(s: DisentanglementScores): string {
  const parts = [
    s.betaVaeScore && `β-VAE score ${pct(s.betaVaeScore.evalAccuracy)} (train ${pct(s.betaVaeScore.trainAccuracy)})`,
    s.factorVaeScore &&
      `FactorVAE score ${pct(s.factorVaeScore.evalAccuracy)} (train ${pct(s.factorVaeScore.trainAccuracy)}, ${s.factorVaeScore.activeDims} active latents)`,
    s.mig !== null && `MIG ${s.mig.toFixed(3)}`,
    s.dci &&
      `DCI disentanglement ${s.dci.disentanglement.toFixed(3)}, completeness ${s.dci.completeness.toFixed(3)}, informativeness ${s.dci.informativeness.toFixed(3)}`,
  ].filter(Boolean);
  const lines = [`${s.representation}: ${parts.join('; ')}`];
  const confusion = s.betaVaeScore?.evalConfusion;
  if (confusion) {
    // Recall per fixed factor: a factor well below 100 % has no latents of its own that stay fixed with it.
    const recall = betaVaeRecall(confusion).map((r, k) => `${s.factors[k]} ${pct(r)}`);
    lines.push(`  β-VAE score by fixed factor (eval): ${recall.join(', ')}`);
  }
  return lines.join('\n');
}
