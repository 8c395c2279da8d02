/**
 * Lossy compression with a VAE's latent code (seed 004 §5.1.2: z as the compressed representation),
 * compared with PCA at the same rate (seed 004 §5.4 compares the two models).
 *
 * VAE: each active latent's posterior mean μ_j(x) is quantised to one of the 2^B equal-mass buckets of
 * the prior N(0, 1), index ⌊Φ(μ_j)·2^B⌋; under the discretised prior every bucket has mass 2^−B, so
 * the entropy code costs exactly B bits per coded latent. The decoder reads the buckets' centres
 * (inactive latents, Var_x μ_j ≤ 0.01 (seed 002), are not coded and decode as 0, the prior mean) and
 * reconstructs x̂ = μ_x(ẑ) (clipped to [0, 1], as is PCA's). PCA: the top-k principal components' coefficients, each standardised by
 * its eigenvalue, quantised with the same buckets; x̂ = mean + Σ ĉ_k v_k (the PCA is eval/pca.ts's).
 * Distortion is the MSE on grey levels in [0, 1] and PSNR = 10 log10(1 / MSE).
 */
import { input } from '../engine/ops.js';
import { ModelGraph } from '../eval/graphs.js';
import type { PcaFit } from '../eval/pca.js';
import type { VAE } from '../models/vae.js';
import { LatentBuckets, normalCdf } from './latentBuckets.js';

/** One point of a rate–distortion curve. */
export interface RatePoint {
  /** Bits per coded latent or component. */
  readonly bits: number;
  /** Number of coded latents or components. */
  readonly coded: number;
  /** Bits per image. */
  readonly rate: number;
  readonly mse: number;
  readonly psnr: number;
}

const psnrOf = (mse: number): number => 10 * Math.log10(1 / mse);

/** Bucket index of a standard-normal value at `bits` bits: ⌊Φ(t)·2^bits⌋. */
export const bucketOf = (t: number, bits: number): number => Math.min(2 ** bits - 1, Math.floor(normalCdf(t) * 2 ** bits));

/** The VAE's lossy code of grey images x [n, D] in [0, 1]: bucket indices of the active latents and the reconstructions. */
export interface LossyCode {
  /** Which latents are coded. */
  readonly active: number[];
  /** Bucket indices, [n, active.length]. */
  readonly indices: Uint16Array;
  /** μ_x(ẑ), [n, D]. */
  readonly reconstructions: Float32Array;
}

/** VAE encoder and decoder graphs at a fixed batch. */
export class VaeLossyCoder {
  private constructor(
    readonly vae: VAE,
    private readonly enc: ModelGraph,
    private readonly dec: ModelGraph,
    private readonly batch: number,
  ) {}

  static async create(vae: VAE, batch = 100, threads = 1): Promise<VaeLossyCoder> {
    const x = input('x', [batch, vae.dataSize]);
    const enc = await ModelGraph.compile([x], { mu: vae.encoder(x).mu }, [], threads);
    const z = input('z', [batch, vae.latentSize]);
    const dec = await ModelGraph.compile([z], { mean: vae.decodeMean(z) }, [], threads);
    return new VaeLossyCoder(vae, enc, dec, batch);
  }

  /** Posterior means μ(x), [n, d]. */
  async means(x: Float32Array, n: number): Promise<Float32Array> {
    const { dataSize: D, latentSize: d } = this.vae;
    const out = new Float32Array(n * d);
    const buf = new Float32Array(this.batch * D);
    for (let i = 0; i < n; i += this.batch) {
      const rows = Math.min(this.batch, n - i);
      buf.fill(0).set(x.subarray(i * D, (i + rows) * D));
      out.set((await this.enc.run({ x: buf })).mu.subarray(0, rows * d), i * d);
    }
    return out;
  }

  /** μ_x(ẑ) for the bucket indices of the active latents (others at 0). */
  async reconstruct(indices: Uint16Array, active: readonly number[], bits: number, n: number): Promise<Float32Array> {
    const { dataSize: D, latentSize: d } = this.vae;
    const centres = new LatentBuckets(bits, bits + 1).centres;
    const out = new Float32Array(n * D);
    const z = new Float32Array(this.batch * d);
    for (let i = 0; i < n; i += this.batch) {
      const rows = Math.min(this.batch, n - i);
      z.fill(0);
      for (let r = 0; r < rows; r++) active.forEach((j, a) => (z[r * d + j] = centres[indices[(i + r) * active.length + a]]));
      out.set((await this.dec.run({ z })).mean.subarray(0, rows * D), i * D);
    }
    // Grey levels live in [0, 1]; a Gaussian or logistic μ_x may stray outside.
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
    return out;
  }

  /** The latents with Var_x μ_j(x) > 0.01 on these means (active units, seed 002). */
  activeLatents(mu: Float32Array, n: number): number[] {
    const d = this.vae.latentSize;
    const active: number[] = [];
    for (let j = 0; j < d; j++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += mu[i * d + j];
        s2 += mu[i * d + j] ** 2;
      }
      if (s2 / n - (s / n) ** 2 > 0.01) active.push(j);
    }
    return active;
  }

  /** Codes x [n, D] at `bits` bits per active latent. */
  async encode(x: Float32Array, n: number, bits: number, active?: readonly number[]): Promise<LossyCode> {
    const d = this.vae.latentSize;
    const mu = await this.means(x, n);
    const act = active ? [...active] : this.activeLatents(mu, n);
    const indices = new Uint16Array(n * act.length);
    for (let i = 0; i < n; i++) act.forEach((j, a) => (indices[i * act.length + a] = bucketOf(mu[i * d + j], bits)));
    return { active: act, indices, reconstructions: await this.reconstruct(indices, act, bits, n) };
  }
}

/** Mean squared error between two [n, D] arrays. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** The rate–distortion point of the VAE's lossy code at `bits` bits per active latent. */
export async function vaeRatePoint(coder: VaeLossyCoder, x: Float32Array, n: number, bits: number): Promise<RatePoint> {
  const code = await coder.encode(x, n, bits);
  const mse = meanSquaredError(x, code.reconstructions);
  return { bits, coded: code.active.length, rate: bits * code.active.length, mse, psnr: psnrOf(mse) };
}

/** The rate–distortion point of PCA with its k components, each standardised coefficient coded with `bits` bits. */
export function pcaRatePoint(pca: PcaFit, x: Float32Array, n: number, bits: number): RatePoint {
  const { dataSize: D, q: k, components, variances } = pca;
  const centres = new LatentBuckets(bits, bits + 1).centres;
  let se = 0;
  const rec = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    rec.set(pca.mean);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let a = 0; a < D; a++) s += (x[i * D + a] - pca.mean[a]) * components[c * D + a];
      const sd = Math.sqrt(Math.max(variances[c], 1e-12));
      const chat = centres[bucketOf(s / sd, bits)] * sd;
      for (let a = 0; a < D; a++) rec[a] += chat * components[c * D + a];
    }
    for (let a = 0; a < D; a++) se += (x[i * D + a] - Math.min(1, Math.max(0, rec[a]))) ** 2;
  }
  const mse = se / (n * D);
  return { bits, coded: k, rate: bits * k, mse, psnr: psnrOf(mse) };
}
