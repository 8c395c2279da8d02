/** Entropy coding with a trained VAE: rANS, bits-back (lossless), quantised latents (lossy), the file container. */
export { Ans, MAX_PRECISION } from './rans.js';
export { bernoulliCdf, countsCdf, popSymbol, pushSymbol, quantiseCdf, uniformCdf, type QuantisedCdf } from './codecs.js';
export {
  bitsBackDecode,
  bitsBackEncode,
  BitsBackMismatch,
  type BitsBackMessage,
  type BitsBackModel,
  type BitsBackOptions,
} from './bitsBack.js';
export { LatentBuckets, normalCdf, normalQuantile } from './latentBuckets.js';
export { CODABLE_DECODERS, DEFAULT_PRECISIONS, vaeBitsBackModel, VaeNetworks, type CodableDecoder, type Precisions } from './vaeCoding.js';
export { compressLossless, decompressLossless, type LosslessOptions, type LosslessResult } from './lossless.js';
export { compressData, chooseData, negativeElboBitsPerDim, type CompressReport, type DataChoice } from './compressRun.js';
export { compressLossy, decompressFile, decompressLossy, type LossyResult } from './lossyFile.js';
export { pcaRatePoint, vaeRatePoint, VaeLossyCoder, type RatePoint } from './lossy.js';
export { symbolsFor, type Symbols } from './symbols.js';
export { CompressError } from './errors.js';
export type { CompressedHeader } from './container.js';
