/**
 * Active units (Burda et al. 2016; seed 002): latent i is active when A_i = Cov_x(E_{q(z|x)}[z_i]),
 * the variance over the data of the posterior mean, exceeds 0.01. Accumulated batch by batch in
 * float64 (Welford), so it never holds the whole test set's means.
 */

/** The threshold of Burda et al. 2016. */
export const ACTIVE_UNIT_THRESHOLD = 0.01;

/** Streaming per-latent mean and variance of the posterior means μ(x). */
export class ActiveUnits {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly latentSize: number) {
    this.mean = new Float64Array(latentSize);
    this.m2 = new Float64Array(latentSize);
  }

  /** Adds the first `rows` rows of μ, row-major [≥rows, d]. */
  add(mu: ArrayLike<number>, rows: number): void {
    const d = this.latentSize;
    for (let r = 0; r < rows; r++) {
      this.n++;
      for (let i = 0; i < d; i++) {
        const v = mu[r * d + i];
        const delta = v - this.mean[i];
        this.mean[i] += delta / this.n;
        this.m2[i] += delta * (v - this.mean[i]);
      }
    }
  }

  /** A_i = Var_x(μ_i(x)) per latent (population variance, divisor n). */
  activity(): number[] {
    return Array.from(this.m2, (v) => (this.n > 0 ? v / this.n : 0));
  }

  /** The number of latents with A_i > `threshold` (default 0.01). */
  count(threshold = ACTIVE_UNIT_THRESHOLD): number {
    return this.activity().filter((a) => a > threshold).length;
  }
}
