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
