/**
 * Lossless compression of images with a trained VAE by bits-back coding: symbols in, file bytes out,
 * and back. See `bitsBack.ts` for the method and `container.ts` for the file.
 */
import { createRequire } from 'node:module';
import type { LatentVariableModel } from '../models/types.js';
import { bitsBackDecode, bitsBackEncode, BitsBackMismatch } from './bitsBack.js';
import { bytesToWords, packCompressed, sha256, unpackCompressed, wordsToBytes, type CompressedHeader } from './container.js';
import { CompressError } from './errors.js';
import { parameterDigest, type Symbols } from './symbols.js';
import { codableDecoder, DEFAULT_PRECISIONS, vaeBitsBackModel, VaeNetworks, type Precisions } from './vaeCoding.js';

/** onnxruntime threads of the coding graphs: fixed, so that compress and decompress compute the same floats. */
export const CODING_THREADS = 1;
/** Rows per graph run: one example at a time (decoding is sequential; both sides use the same shape). */
export const CODING_BATCH = 1;

/** The version in vaelab's package.json (recorded in every file). */
export function vaelabVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** Options of {@link compressLossless}. */
export interface LosslessOptions {
  readonly precisions?: Precisions;
  /** Seed of the initial bits. */
  readonly seed?: number;
  readonly onExample?: (i: number) => void;
}

/** What {@link compressLossless} returns. */
export interface LosslessResult {
  readonly bytes: Uint8Array;
  readonly header: CompressedHeader;
  /** Bits per dimension of the payload (the rANS message). */
  readonly payloadBitsPerDim: number;
  /** Bits per dimension of the whole file (payload and header). */
  readonly fileBitsPerDim: number;
  readonly seconds: number;
  /** Of which in the networks (onnxruntime runs); the rest is quantisation and rANS in TypeScript. */
  readonly networkSeconds: number;
}

/** Compresses `symbols` with `model` (a VAE with a discrete decoder and a standard normal prior). */
export async function compressLossless(model: LatentVariableModel, symbols: Symbols, opts: LosslessOptions = {}): Promise<LosslessResult> {
  const t0 = performance.now();
  const { vae, decoder } = codableDecoder(model);
  const D = vae.dataSize;
  if (symbols.data.length !== symbols.count * D)
    throw new CompressError(`the data has ${symbols.data.length / Math.max(1, symbols.count)} values per example, the model expects ${D}`);
  if ((decoder === 'bernoulli') !== (symbols.values === 'binary'))
    throw new CompressError(`a ${decoder} decoder cannot code ${symbols.values} data`);
  const precisions = opts.precisions ?? DEFAULT_PRECISIONS;
  const seed = opts.seed ?? 0;
  const nets = await VaeNetworks.create(vae, CODING_THREADS);
  const msg = await bitsBackEncode(vaeBitsBackModel(nets, decoder, { precisions }), symbols.data, symbols.count, {
    seed,
    onExample: opts.onExample,
  });
  const payload = wordsToBytes(msg.words);
  const dims = symbols.count * D;
  const payloadBitsPerDim = (payload.length * 8) / dims;
  const header: Omit<CompressedHeader, 'payloadBytes' | 'payloadSha256'> = {
    mode: 'lossless',
    vaelab: vaelabVersion(),
    model: { ...vae.config },
    parameters: parameterDigest(vae),
    precisions,
    graphs: { threads: CODING_THREADS, batch: CODING_BATCH },
    seed,
    count: symbols.count,
    shape: symbols.shape,
    values: symbols.values,
    dataSha256: sha256(symbols.data),
    stats: { payloadBitsPerDim, initialWords: msg.borrowedWords },
  };
  const bytes = packCompressed(header, payload);
  return {
    bytes,
    header: { ...header, payloadBytes: payload.length, payloadSha256: sha256(payload) },
    payloadBitsPerDim,
    fileBitsPerDim: (bytes.length * 8) / dims,
    seconds: (performance.now() - t0) / 1000,
    networkSeconds: nets.seconds,
  };
}

/** The config fields that define the networks' function (fields added to the schema later do not). */
const FUNCTION_FIELDS = [
  'kind',
  'decoder',
  'sigma',
  'prior',
  'latent',
  'hidden',
  'activation',
  'architecture',
  'channels',
  'flowSteps',
  'dataShape',
] as const;

/** Checks that `model` is the one that wrote `header` (same networks and parameters). */
export function checkSameModel(model: LatentVariableModel, header: CompressedHeader, file: string): void {
  const vae = model as LatentVariableModel & { config?: Record<string, unknown> };
  const differs = FUNCTION_FIELDS.filter((f) => JSON.stringify(header.model[f]) !== JSON.stringify(vae.config?.[f]));
  if (differs.length > 0 || parameterDigest(model) !== header.parameters) {
    const what =
      differs.length > 0
        ? `its ${differs.join(', ')} differ`
        : `parameters ${header.parameters.slice(0, 12)}…, this run's are ${parameterDigest(model).slice(0, 12)}…`;
    throw new CompressError(`${file} was compressed with a different model (${what}): decompress it with the run that compressed it`);
  }
}

/** Decompresses the bytes of a file written by {@link compressLossless}; the data's digest is checked. */
export async function decompressLossless(
  model: LatentVariableModel,
  bytes: Uint8Array,
  file: string,
  onExample?: (i: number) => void,
): Promise<{ header: CompressedHeader; symbols: Symbols; seconds: number; networkSeconds: number }> {
  const t0 = performance.now();
  const { header, payload } = unpackCompressed(bytes, file);
  if (header.mode !== 'lossless') throw new CompressError(`${file} holds a ${header.mode} code: it has no lossless data to decompress`);
  checkSameModel(model, header, file);
  const { vae, decoder } = codableDecoder(model);
  const nets = await VaeNetworks.create(vae, header.graphs.threads);
  let data: Uint8Array;
  try {
    data = await bitsBackDecode(
      vaeBitsBackModel(nets, decoder, { precisions: header.precisions as Precisions }),
      bytesToWords(payload, file),
      header.count,
      { seed: header.seed, onExample },
    );
  } catch (e) {
    if (e instanceof BitsBackMismatch || e instanceof RangeError)
      throw new CompressError(`${file} did not decode to the data it was made from (${e.message}); nothing was written`);
    throw e;
  }
  if (sha256(data) !== header.dataSha256)
    throw new CompressError(
      `${file} decoded to data whose SHA-256 differs from the original's: the model computed different probabilities than at compression (another machine or onnxruntime build?); nothing was written`,
    );
  return {
    header,
    symbols: { count: header.count, shape: header.shape, values: header.values, data },
    seconds: (performance.now() - t0) / 1000,
    networkSeconds: nets.seconds,
  };
}
