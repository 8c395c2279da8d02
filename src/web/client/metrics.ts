/** Curves of one run's metrics.jsonl records, and its config flattened to `section.key` rows. */
import type { MetricsRecord } from './api.js';
import type { Curve } from './curves.js';

/** The run's curves: training ELBO (one batch per logged step), validation ELBO, KL, and KL per latent. */
export function runCurves(records: readonly MetricsRecord[]): { elbo: Curve[]; kl: Curve[]; perLatent: Curve[] } {
  const train = records.filter((r) => r.kind === 'train');
  const validation = records.filter((r) => r.kind === 'validation');
  const d = train.reduce((m, r) => Math.max(m, r.kind === 'train' ? (r.klPerLatent?.length ?? 0) : 0), 0);
  const perLatent: Curve[] = Array.from({ length: d }, (_, i) => ({
    label: `z${i}`,
    points: train.flatMap((r) => (r.kind === 'train' && r.klPerLatent ? [[r.step, r.klPerLatent[i]] as const] : [])),
  }));
  return {
    elbo: [
      { label: 'train ELBO (one batch)', points: train.map((r) => [r.step, r.elbo] as const), color: '#6baed6' },
      { label: 'validation ELBO', points: validation.map((r) => [r.step, r.elbo] as const), color: '#d62728', dots: true },
    ],
    kl: [{ label: 'KL', points: train.map((r) => [r.step, r.kl] as const), color: '#6a51a3' }],
    perLatent,
  };
}

/** Per-latent curves of one statistic over validation passes. */
export interface LatentCurves {
  /** Var_x[E_q[z_u|x]] per latent: the spread of the posterior means (seed 003's activity). */
  readonly varMu: Curve[];
  /** E_x[Var_q[z_u|x]] per latent: the mean posterior variance (near 1 for an inactive latent). */
  readonly meanSigma2: Curve[];
}

/**
 * The evolution of each latent (seed 003's figure) from the `latents` snapshots of the validation
 * records (eval/evolution.ts): one curve per layer and latent, named `z<u>` (`<layer>:z<u>` when the
 * model has several latent layers).
 */
export function latentCurves(records: readonly MetricsRecord[]): LatentCurves {
  const snapshots = records.flatMap((r) => (r.kind === 'validation' && r.latents ? [{ step: r.step, layers: r.latents }] : []));
  const layers = new Map<string, number>();
  for (const s of snapshots) for (const l of s.layers) layers.set(l.layer, Math.max(layers.get(l.layer) ?? 0, l.varMu.length));
  const curves = (stat: 'varMu' | 'meanSigma2'): Curve[] =>
    [...layers].flatMap(([layer, d]) =>
      Array.from({ length: d }, (_, u) => ({
        label: layers.size > 1 ? `${layer}:z${u}` : `z${u}`,
        points: snapshots.flatMap((s) => {
          const v = s.layers.find((l) => l.layer === layer)?.[stat][u];
          return v === undefined ? [] : [[s.step, v] as const];
        }),
      })),
    );
  return { varMu: curves('varMu'), meanSigma2: curves('meanSigma2') };
}

/** `config` as `section.key` → value text rows (arrays joined with commas, nested objects flattened). */
export function flattenConfig(config: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (config === null || typeof config !== 'object') return out;
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of flattenConfig(v, key)) out.set(kk, vv);
    else out.set(key, Array.isArray(v) ? v.join(',') : String(v));
  }
  return out;
}
