/**
 * The mutual information gap (Chen, Li, Grosse & Duvenaud 2018, "Isolating sources of
 * disentanglement in VAEs", section 4.1) as disentanglement_lib computes it: each latent's posterior
 * mean discretised into 20 equal-width bins over its range, discrete mutual information (nats) with
 * each factor, MIG = (1/K) Σ_k (I(z_{j⁽ᵏ⁾}; v_k) − max_{j ≠ j⁽ᵏ⁾} I(z_j; v_k)) / H(v_k), with j⁽ᵏ⁾ the
 * latent of most information about v_k; 10,000 codes.
 */
import { Random } from '../../engine/random.js';
import { sampleCodes, type FactorSpace, type Representation } from './factors.js';

/** Options of {@link migScore}. */
export interface MigOptions {
  /** Codes (default 10,000). */
  readonly n?: number;
  /** Bins per latent (default 20). */
  readonly bins?: number;
  readonly seed?: number;
}

/** The gap and what it is made of. */
export interface MigResult {
  /** MIG, the mean over factors of the normalised gap. */
  readonly mig: number;
  /** Normalised gap of each factor. */
  readonly perFactor: number[];
  /** I(z_j; v_k) in nats, `mi[j][k]`, latents × factors. */
  readonly mi: number[][];
  /** H(v_k) in nats over the sample. */
  readonly entropy: number[];
}

/**
 * Bin of each of the `n` values of column `j` of `codes` [n, d]: numpy's `digitize(x, histogram(x, bins)[1][:-1]) − 1`,
 * i.e. the number of inner edges min + b (max − min)/bins, b = 1..bins−1, that are <= x. A constant column is one bin.
 */
export function discretizeColumn(codes: ArrayLike<number>, n: number, d: number, j: number, bins: number): Int32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = codes[i * d + j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Int32Array(n);
  if (!(hi > lo)) return out;
  const edges = Array.from({ length: bins - 1 }, (_, b) => lo + ((b + 1) * (hi - lo)) / bins);
  for (let i = 0; i < n; i++) {
    const v = codes[i * d + j];
    let b = 0;
    while (b < edges.length && v >= edges[b]) b++;
    out[i] = b;
  }
  return out;
}

/** Discrete mutual information I(a; b) = Σ p(a,b) log(p(a,b) / (p(a) p(b))) in nats, from counts (scikit-learn's mutual_info_score). */
export function discreteMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  const joint = new Map<number, number>();
  const pa = new Map<number, number>();
  const pb = new Map<number, number>();
  const stride = 1 << 20;
  for (let i = 0; i < n; i++) {
    joint.set(a[i] * stride + b[i], (joint.get(a[i] * stride + b[i]) ?? 0) + 1);
    pa.set(a[i], (pa.get(a[i]) ?? 0) + 1);
    pb.set(b[i], (pb.get(b[i]) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const ai = Math.floor(key / stride);
    const bi = key - ai * stride;
    mi += (c / n) * Math.log((c * n) / (pa.get(ai)! * pb.get(bi)!));
  }
  return Math.max(0, mi);
}

/** Discrete entropy H(a) = −Σ p log p in nats, from counts. */
export function discreteEntropy(a: ArrayLike<number>, n: number): number {
  return discreteMutualInformation(a, a, n);
}

/** MIG of given codes [n, d] and factor rows [n, K] (the deterministic part of {@link migScore}). */
export function migFromCodes(codes: ArrayLike<number>, factors: ArrayLike<number>, n: number, d: number, K: number, bins = 20): MigResult {
  const binned = Array.from({ length: d }, (_, j) => discretizeColumn(codes, n, d, j, bins));
  const columns = Array.from({ length: K }, (_, k) => Int32Array.from({ length: n }, (_, i) => factors[i * K + k]));
  const mi = binned.map((z) => columns.map((v) => discreteMutualInformation(z, v, n)));
  const entropy = columns.map((v) => discreteEntropy(v, n));
  const perFactor = columns.map((_, k) => {
    const sorted = mi.map((row) => row[k]).sort((x, y) => y - x);
    return entropy[k] > 0 ? (sorted[0] - (sorted[1] ?? 0)) / entropy[k] : 0;
  });
  return { mig: perFactor.reduce((s, g) => s + g, 0) / K, perFactor, mi, entropy };
}

/** MIG of `rep` over `n` uniformly drawn factor rows. The ground truth scores ≈ 1 when bins resolve every factor; noise ≈ 0. */
export async function migScore(space: FactorSpace, rep: Representation, opts: MigOptions = {}): Promise<MigResult> {
  const n = opts.n ?? 10_000;
  const { factors, codes } = await sampleCodes(space, rep, n, new Random(opts.seed ?? 0));
  return migFromCodes(codes, factors, n, rep.size, space.sizes.length, opts.bins ?? 20);
}
