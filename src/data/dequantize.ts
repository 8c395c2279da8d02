/**
 * Uniform dequantization of 8-bit data and its change of variables (Theis et al. 2016, "A note on the
 * evaluation of generative models"; seed 004 §5.3's pixel-support problem). A continuous density p on
 * x = (pixel + u)/256, u ~ U(0, 1)^D, bounds the discrete model P(pixel) = ∫ p over the pixel's cube:
 * log P(pixel) ≥ E_u log p((pixel + u)/256) − D log 256. The batches themselves are drawn by `toBatch`
 * with preprocess 'dequantize'.
 */

/** The change-of-variables constant per dimension of x = (pixel + u)/256: log 256 nats. */
export const LOG_256 = Math.log(256);

/**
 * Bits per dimension of a negative log-likelihood `nll` (nats per example) of `dims`-dimensional data:
 * NLL/(D ln 2) for a discrete model (e.g. Bernoulli on binary pixels), and for a density on dequantized
 * 8-bit data the discrete model's (NLL + D log 256)/(D ln 2), the number the literature reports.
 */
export function bitsPerDim(nll: number, dims: number, dequantized: boolean): number {
  return (nll + (dequantized ? dims * LOG_256 : 0)) / (dims * Math.LN2);
}
