/**
 * Posterior collapse (Lucas et al. 2019; seed 004): latent u is ε-collapsed on example x when
 * KL(q(z_u|x) ‖ p(z_u)) < ε, and (ε, δ)-collapsed when that holds on a fraction ≥ 1 − δ of the data.
 */

/** Per-latent collapse fractions and the (ε, δ)-collapsed count. */
export interface Collapse {
  /** ε in nats (default 0.01). */
  readonly epsilon: number;
  /** δ (default 0.01). */
  readonly delta: number;
  /** Per latent, the fraction of examples with KL_u(x) < ε. */
  readonly fraction: number[];
  /** The number of latents whose fraction is ≥ 1 − δ. */
  readonly collapsed: number;
}

/** Collapse statistics of per-example KL per latent `kl`, row-major [n, d]. */
export function collapseOf(kl: ArrayLike<number>, n: number, d: number, epsilon = 0.01, delta = 0.01): Collapse {
  const below = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let u = 0; u < d; u++) if (kl[i * d + u] < epsilon) below[u]++;
  const fraction = Array.from(below, (c) => c / n);
  return { epsilon, delta, fraction, collapsed: fraction.filter((f) => f >= 1 - delta).length };
}
