/**
 * Bits-back coding with ANS (BB-ANS, Townsend, Bird & Barber 2019, §2): to code x with a latent-variable
 * model p(x|z) p(z) and an approximate posterior q(z|x),
 *
 *   encode x:  z ← pop(q(·|x));  push(x; p(·|z));  push(z; p(·)),
 *   decode:    z ← pop(p(·));    x ← pop(p(·|z));  push(z; q(·|x)),
 *
 * so each example costs −log p(x|z) − log p(z) + log q(z|x) bits: the negative ELBO in expectation.
 * Chaining the examples reuses the bits popped for z; only the first pop draws "initial bits" that are
 * paid once. Decoding runs in reverse order of encoding.
 *
 * The model is given as quantised distributions over discrete symbols (latent buckets, pixel values);
 * encoder and decoder must compute them bit-identically from the same inputs.
 */
import { popSymbol, pushSymbol, type QuantisedCdf } from './codecs.js';
import { Ans } from './rans.js';

/** A latent-variable model as bits-back sees it: quantised distributions over discrete latents and data. */
export interface BitsBackModel {
  /** Number of latent symbols per example. */
  readonly latentSize: number;
  /** Number of data symbols per example. */
  readonly dataSize: number;
  /** The prior p(z), one distribution per latent symbol. */
  prior(): readonly QuantisedCdf[];
  /** q(z|x) for data symbols x, one distribution per latent symbol. */
  posterior(x: Uint8Array): Promise<readonly QuantisedCdf[]> | readonly QuantisedCdf[];
  /** p(x|z) for latent symbols z, one distribution per data symbol. */
  likelihood(z: Uint32Array): Promise<readonly QuantisedCdf[]> | readonly QuantisedCdf[];
}

/** Options of {@link bitsBackEncode} and {@link bitsBackDecode}. */
export interface BitsBackOptions {
  /** Seed of the initial bits the first pops draw (the decoder must use the same). */
  readonly seed?: number;
  /** Called after each example with its index (progress). */
  readonly onExample?: (i: number) => void;
}

/** The result of {@link bitsBackEncode}. */
export interface BitsBackMessage {
  /** The message: four head words and the stack, 16-bit (see {@link Ans.serialize}). */
  readonly words: Uint16Array;
  /** Initial bits borrowed by the first pops (not part of the message; their cost is paid once). */
  readonly borrowedWords: number;
}

const pushAll = (ans: Ans, ds: readonly QuantisedCdf[], s: ArrayLike<number>): void => {
  for (let i = ds.length - 1; i >= 0; i--) pushSymbol(ans, ds[i], s[i]);
};

function popAll<T extends Uint8Array | Uint32Array>(ans: Ans, ds: readonly QuantisedCdf[], out: T): T {
  for (let i = 0; i < ds.length; i++) out[i] = popSymbol(ans, ds[i]);
  return out;
}

/** Encodes `count` examples, example i being `data[i·D .. (i+1)·D)`, into one message. */
export async function bitsBackEncode(
  model: BitsBackModel,
  data: Uint8Array,
  count: number,
  opts: BitsBackOptions = {},
): Promise<BitsBackMessage> {
  const D = model.dataSize;
  const ans = new Ans(undefined, opts.seed ?? 0);
  const prior = model.prior();
  const z = new Uint32Array(model.latentSize);
  for (let i = 0; i < count; i++) {
    const x = data.subarray(i * D, (i + 1) * D);
    popAll(ans, await model.posterior(x), z);
    pushAll(ans, await model.likelihood(z), x);
    pushAll(ans, prior, z);
    opts.onExample?.(i);
  }
  return { words: ans.serialize(), borrowedWords: ans.borrowed };
}

/**
 * Decodes `count` examples from a message written by {@link bitsBackEncode}. Throws when the message
 * does not end where the encoder started (different probabilities or a damaged message).
 */
export async function bitsBackDecode(
  model: BitsBackModel,
  words: Uint16Array,
  count: number,
  opts: BitsBackOptions = {},
): Promise<Uint8Array> {
  const D = model.dataSize;
  const seed = opts.seed ?? 0;
  const ans = new Ans(words, seed);
  const prior = model.prior();
  const out = new Uint8Array(count * D);
  const z = new Uint32Array(model.latentSize);
  for (let i = count - 1; i >= 0; i--) {
    popAll(ans, prior, z);
    const x = popAll(ans, await model.likelihood(z), out.subarray(i * D, (i + 1) * D));
    pushAll(ans, await model.posterior(x), z);
    opts.onExample?.(count - 1 - i);
  }
  if (!ans.isInitial(seed))
    throw new BitsBackMismatch(
      "the decoded message does not end at the initial state: the model's probabilities differ from those used to compress, or the data is damaged",
    );
  return out;
}

/** Decoding did not retrace the encoder's steps. */
export class BitsBackMismatch extends Error {
  override name = 'BitsBackMismatch';
}
