/**
 * Lossy compressed files (`vaelab compress --lossy --bits B`): the bucket indices of the active latents,
 * coded under the discretised prior (uniform on equal-mass buckets: B bits each) with rANS, in the
 * same container as lossless files; decompression decodes μ_x(ẑ) as 8-bit grey levels.
 */
import { toBatch } from '../data/batches.js';
import { range, type Source } from '../data/dataset.js';
import type { LatentVariableModel } from '../models/types.js';
import { VAE } from '../models/vae.js';
import { popSymbol, pushSymbol, uniformCdf } from './codecs.js';
import { bytesToWords, packCompressed, unpackCompressed, wordsToBytes, type CompressedHeader } from './container.js';
import { CompressError } from './errors.js';
import { checkSameModel, decompressLossless, vaelabVersion } from './lossless.js';
import { fitPca } from '../eval/pca.js';
import { meanSquaredError, pcaRatePoint, VaeLossyCoder, type RatePoint } from './lossy.js';
import { parameterDigest, type Symbols } from './symbols.js';
import { Ans, MAX_PRECISION } from './rans.js';

const BATCH = 100;

function lossyVae(model: LatentVariableModel): VAE {
  if (!(model instanceof VAE) || model.config.flowSteps > 0)
    throw new CompressError('lossy compression needs a VAE with a diagonal Gaussian posterior (--model vae or iwae, no IAF)');
  return model;
}

/** What {@link compressLossy} returns: the file and its rate–distortion point, with PCA's at the same rate. */
export interface LossyResult {
  readonly bytes: Uint8Array;
  readonly vae: RatePoint;
  /** PCA with as many components as coded latents, same bits each (fitted on `pcaTrain`), when given. */
  readonly pca: RatePoint | null;
  readonly count: number;
}

/** Grey levels in [0, 1] of all examples of `source`, [n, D]. */
export const greyOf = (source: Source): Float32Array => toBatch(source, range(0, source.n), { preprocess: 'grey' });

/** Codes `source` at `bits` bits per active latent; with `pcaTrain`, also measures PCA at the same rate. */
export async function compressLossy(model: LatentVariableModel, source: Source, bits: number, pcaTrain?: Source): Promise<LossyResult> {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_PRECISION)
    throw new CompressError(`--bits must be an integer in [1, ${MAX_PRECISION}], got ${bits}`);
  const vae = lossyVae(model);
  const x = greyOf(source);
  const n = source.n;
  const coder = await VaeLossyCoder.create(vae, BATCH);
  const code = await coder.encode(x, n, bits);
  const ans = new Ans();
  const prior = uniformCdf(bits);
  for (let i = code.indices.length - 1; i >= 0; i--) pushSymbol(ans, prior, code.indices[i]);
  const mse = meanSquaredError(x, code.reconstructions);
  const point: RatePoint = { bits, coded: code.active.length, rate: bits * code.active.length, mse, psnr: 10 * Math.log10(1 / mse) };
  const header: Omit<CompressedHeader, 'payloadBytes' | 'payloadSha256'> = {
    mode: 'lossy',
    vaelab: vaelabVersion(),
    model: { ...vae.config },
    parameters: parameterDigest(vae),
    precisions: { latentBits: bits },
    graphs: { threads: 1, batch: BATCH },
    seed: 0,
    count: n,
    shape: source.shape,
    values: 'uint8',
    dataSha256: null,
    stats: { bitsPerImage: point.rate, mse, psnr: point.psnr, activeLatents: code.active.length },
    active: code.active,
  };
  let pca: RatePoint | null = null;
  if (pcaTrain && code.active.length > 0) {
    const t = greyOf(pcaTrain);
    pca = pcaRatePoint(await fitPca(t, pcaTrain.n, vae.dataSize, code.active.length, { threads: 1 }), x, n, bits);
  }
  return { bytes: packCompressed(header, wordsToBytes(ans.serialize())), vae: point, pca, count: n };
}

/** Decodes a lossy file: μ_x(ẑ) as 8-bit grey levels. */
export async function decompressLossy(
  model: LatentVariableModel,
  header: CompressedHeader,
  payload: Uint8Array,
  file: string,
): Promise<Symbols> {
  checkSameModel(model, header, file);
  const vae = lossyVae(model);
  const active = header.active ?? [];
  const bits = header.precisions.latentBits;
  const ans = new Ans(bytesToWords(payload, file));
  const prior = uniformCdf(bits);
  const indices = new Uint16Array(header.count * active.length);
  for (let i = 0; i < indices.length; i++) indices[i] = popSymbol(ans, prior);
  if (!ans.isInitial()) throw new CompressError(`${file} is corrupt: its code does not end where it started`);
  const coder = await VaeLossyCoder.create(vae, BATCH);
  const rec = await coder.reconstruct(indices, active, bits, header.count);
  const data = new Uint8Array(rec.length);
  for (let i = 0; i < rec.length; i++) data[i] = Math.round(255 * Math.min(1, Math.max(0, rec[i])));
  return { count: header.count, shape: header.shape, values: 'uint8', data };
}

/** Decompresses a lossless or lossy file with the run that wrote it. */
export async function decompressFile(
  model: LatentVariableModel,
  bytes: Uint8Array,
  file: string,
): Promise<{ symbols: Symbols; mode: CompressedHeader['mode']; seconds: number }> {
  const t0 = performance.now();
  const { header, payload } = unpackCompressed(bytes, file);
  if (header.mode === 'lossless') return { ...(await decompressLossless(model, bytes, file)), mode: header.mode };
  return { symbols: await decompressLossy(model, header, payload, file), mode: header.mode, seconds: (performance.now() - t0) / 1000 };
}
