/**
 * The evaluation record as text and as the `--json` object (camelCase keys of issue #7), so the CLI
 * stays a thin call. Seed 002's ELBO-surgery table is printed with the seed's own rows beside it.
 */
import type { EvaluationResult } from './evaluate.js';
import type { FullEvaluation } from './fullEvaluation.js';

/** A test-set evaluation, with the training-set measurements where they ran. */
type Printable = EvaluationResult & Partial<FullEvaluation>;

/** Seed 002's ELBO-surgery table (Hoffman & Johnson 2016, MNIST, N = 60,000, log N ≈ 11.0021). */
export const SEED_SURGERY_TABLE: ReadonlyArray<{
  latent: string;
  elbo: number;
  avgKl: number;
  mutualInformation: number;
  marginalKl: number;
}> = [
  { latent: '2D', elbo: -129.63, avgKl: 7.41, mutualInformation: 7.2, marginalKl: 0.21 },
  { latent: '10D', elbo: -88.95, avgKl: 19.17, mutualInformation: 10.82, marginalKl: 8.35 },
  { latent: '20D', elbo: -87.45, avgKl: 20.2, mutualInformation: 10.67, marginalKl: 9.53 },
];

const f2 = (v: number) => v.toFixed(2);
const list = (v: readonly number[], digits = 3) => v.map((x) => x.toFixed(digits)).join(' ');

/** Human-readable lines of an evaluation. */
export function evaluationLines(r: Printable): string[] {
  const lines = [
    `test −ELBO ${f2(-r.elbo)} ± ${f2(r.elboSe)} nats (reconstruction ${f2(r.reconstruction)}, KL ${f2(r.kl)}) on ${r.n} examples`,
    `test NLL ${r.nll === null ? '-' : `${f2(r.nll)} ± ${f2(r.nllSe ?? 0)}`} nats (K = ${r.nllK})`,
  ];
  if (r.layers) {
    lines.push(
      `active units ${r.activeUnitsPerLayer!.join('+')} of ${r.layers.map((l) => l.size).join('+')} (${r.layers.map((l) => l.name).join(', ')}; Var_x E_q[z|x] > 0.01)`,
    );
    for (const l of r.layers) {
      const law = l.varianceLaw;
      lines.push(`${l.name}: Var μ        ${list(law.varMu)}`);
      lines.push(`${l.name}: E σ²         ${list(law.meanSigma2)}`);
      lines.push(
        `${l.name}: E μ² + E σ² ${list(law.secondMoment)}${law.standardPrior ? ' (= 1 at the optimum of the KL to N(0, I): the variance law)' : ''}`,
      );
      lines.push(`${l.name}: Var μ + E σ² ${list(law.totalVariance)}`);
      lines.push(
        `${l.name}: inactive (Var μ ≈ 0, E σ² ≈ 1): ${
          law.inactive
            .map((v, u) => (v ? u : -1))
            .filter((u) => u >= 0)
            .join(' ') || 'none'
        }`,
      );
      const m = l.aggregateMoments;
      lines.push(
        `${l.name}: q(z) mean ${list(m.mean, 2)} | variance ${list(m.variance, 2)} | skewness ${list(m.skewness, 2)} | excess kurtosis ${list(m.excessKurtosis, 2)}`,
      );
      if (l.collapse)
        lines.push(
          `${l.name}: collapsed (KL_u < ${l.collapse.epsilon} on ≥ ${1 - l.collapse.delta} of x): ${l.collapse.collapsed} of ${l.size}`,
        );
    }
  }
  if (r.surgery) {
    const s = r.surgery;
    lines.push('ELBO surgery (training set)   ELBO     avg KL   mutual info   marginal KL   log N');
    lines.push(
      `this run (d = ${r.layers?.at(-1)?.size ?? '?'}, N = ${s.n})`.padEnd(30) +
        `${f2(s.elbo).padStart(8)} ${f2(s.avgKl).padStart(8)} ${f2(s.mutualInformation).padStart(13)} ${`${f2(s.marginalKl)}±${f2(s.marginalKlSe)}`.padStart(13)} ${s.logN.toFixed(4).padStart(8)}`,
    );
    for (const row of SEED_SURGERY_TABLE) {
      lines.push(
        `seed 002, ${row.latent} latents`.padEnd(30) +
          `${f2(row.elbo).padStart(8)} ${f2(row.avgKl).padStart(8)} ${f2(row.mutualInformation).padStart(13)} ${f2(row.marginalKl).padStart(13)} ${'11.0021'.padStart(8)}`,
      );
    }
  }
  if (r.pca) {
    const p = r.pca;
    lines.push(
      `PCA (q = ${p.latent}) reconstruction error ${f2(p.reconstructionMse)} per image; VAE μ_x(μ_z(x)) ${f2(p.vaeReconstructionMse)}${p.ppcaLogLikelihood === null ? '' : `; pPCA test log-likelihood ${f2(p.ppcaLogLikelihood)} nats`}`,
    );
  }
  for (const n of r.notes ?? []) lines.push(n);
  return lines;
}

/** The `--json` object: the issue's keys (the diagnostics of the top layer at the top level). */
export function evaluationJson(r: Printable): Record<string, unknown> {
  return {
    n: r.n,
    elbo: r.elbo,
    elboSe: r.elboSe,
    reconstruction: r.reconstruction,
    kl: r.kl,
    nll: r.nll,
    nllSe: r.nllSe,
    nllK: r.nllK,
    activeUnits: r.activeUnits,
    activeUnitsPerLayer: r.activeUnitsPerLayer ?? null,
    varianceLaw: r.varianceLaw ?? null,
    aggregateMoments: r.aggregateMoments ?? null,
    collapse: r.collapse ?? null,
    klPerLatent: r.klPerLatent,
    layers: r.layers ?? null,
    surgery: r.surgery ?? null,
    pca: r.pca ?? null,
    notes: r.notes ?? [],
    evalSeconds: r.seconds,
  };
}
