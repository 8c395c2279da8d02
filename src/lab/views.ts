/**
 * What the Lab's live views show, computed from a {@link LabSession}: the latent scatter, the
 * variance law per latent, the decoded manifold and the sample grid. Browser-safe; runs in the worker.
 */
import { Random } from '../engine/random.js';
import type { LabSession } from './session.js';

/** The three ways of turning z ~ p(z) into data of seed 004 §5.3.3. */
export type SampleMode = 'ancestral' | 'mean' | 'alpha';

/** One latent's line of the variance law (seed 000): Var_x[μ_i(x)] + E_x[σ_i²(x)] ≈ 1. */
export interface VarianceLawRow {
  varMu: number;
  meanSigma2: number;
  /** Active unit: Var_x[μ_i(x)] > 0.01 (seed 002). */
  active: boolean;
}

/** Everything the page draws besides the loss curves. */
export interface LabViews {
  step: number;
  dataSize: number;
  /** Image side for image data (28), 0 for 2-D points. */
  side: number;
  /** The two latents shown (the two with the largest Var μ). */
  axes: [number, number];
  /** Posterior means on those axes, [n, 2] flattened, with labels. */
  scatter: Float32Array;
  labels: Int32Array | null;
  varianceLaw: VarianceLawRow[];
  /** The decoded manifold: G × G decoder means at a grid of z on the two axes (others 0), [G², D]. */
  manifold: Float32Array;
  grid: number;
  /** Samples in the chosen mode, [m, D]. */
  samples: Float32Array;
  mode: SampleMode;
  alpha: number;
  /** Training data to draw behind 2-D samples ([n, 2]; empty for images). */
  data: Float32Array;
}

/** Active-unit threshold on Var_x[μ_i(x)] (seed 002, Burda et al.). */
export const ACTIVE_THRESHOLD = 0.01;

/** The variance law per latent from posterior means and log-variances [n, d]. */
export function varianceLaw(mu: Float32Array, logVar: Float32Array, n: number, d: number): VarianceLawRow[] {
  return Array.from({ length: d }, (_, i) => {
    let m = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      m += mu[j * d + i];
      s2 += Math.exp(logVar[j * d + i]);
    }
    m /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (mu[j * d + i] - m) ** 2;
    const varMu = v / n;
    return { varMu, meanSigma2: s2 / n, active: varMu > ACTIVE_THRESHOLD };
  });
}

/** Computes every view of `session` (samples from a fixed z, so switching the mode alone changes them). */
export async function computeViews(session: LabSession, mode: SampleMode, alpha: number): Promise<LabViews> {
  const post = await session.posteriors();
  const { n, d } = post;
  const law = varianceLaw(post.mu, post.logVar, n, d);
  const byVar = law.map((r, i) => [r.varMu, i] as const).sort((a, b) => b[0] - a[0]);
  const axes: [number, number] = [byVar[0][1], byVar[Math.min(1, d - 1)][1]];
  const scatter = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    scatter[2 * j] = post.mu[j * d + axes[0]];
    scatter[2 * j + 1] = post.mu[j * d + axes[1]];
  }
  const D = session.model.dataSize;
  const image = D > 2;
  const grid = image ? 12 : 21;
  const zGrid = new Float32Array(grid * grid * d);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      const k = (r * grid + c) * d;
      zGrid[k + axes[0]] = -2.5 + (5 * c) / (grid - 1);
      if (axes[1] !== axes[0]) zGrid[k + axes[1]] = 2.5 - (5 * r) / (grid - 1);
    }
  }
  const manifold = (await session.decode(zGrid)).mean;
  const m = image ? 64 : 400;
  const dec = await session.decode(session.priorDraws(m, 12345));
  const samples = new Float32Array(dec.mean);
  const bernoulli = session.settings.decoder === 'bernoulli';
  // σ_x of a Bernoulli pixel is sqrt(p(1-p)); the α trick of seed 004 (Figure 5.15) is stated for Gaussian decoders.
  const sd = (i: number): number => (dec.std ? dec.std[i] : Math.sqrt(dec.mean[i] * (1 - dec.mean[i])));
  if (mode === 'ancestral') {
    const eps = new Random(777);
    for (let i = 0; i < samples.length; i++)
      samples[i] = bernoulli ? Number(eps.uniform() < dec.mean[i]) : dec.mean[i] + sd(i) * eps.normal();
  } else if (mode === 'alpha') {
    for (let i = 0; i < samples.length; i++) samples[i] = dec.mean[i] + alpha * sd(i);
  }
  const data = image ? new Float32Array(0) : Float32Array.from((session.data.data as Float32Array).subarray(0, 2 * 2000));
  return {
    step: session.step,
    dataSize: D,
    side: image ? Math.round(Math.sqrt(D)) : 0,
    axes,
    scatter,
    labels: post.labels,
    varianceLaw: law,
    manifold: Float32Array.from(manifold),
    grid,
    samples,
    mode,
    alpha,
    data,
  };
}
