/**
 * A stack-like rANS entropy coder (Duda 2013, "Asymmetric numeral systems"; the variant of Townsend
 * et al. 2019's BB-ANS): `push` encodes a symbol, `pop` decodes the last one pushed, so that popping
 * a sample from a distribution *reads* bits from the message, which bits-back coding relies on.
 *
 * Written here rather than taken from npm: the rANS packages on npm are byte-oriented, static-table
 * codecs; bits-back needs a different distribution for every symbol and a pop that draws from the
 * stream, which none of them expose.
 *
 * State arithmetic: the head x lives in [L, L·2^32) with L = 2^20, so x < 2^52 and every operation is
 * exact in float64 integers (no BigInt: `bench/compress-rans.ts` measures ~5× faster than BigInt
 * heads). Renormalisation moves 32-bit words between the head and a stack (the tail). Symbols are
 * coded under quantised distributions: a symbol s has frequency f_s ≥ 1 and start c_s, Σ f = 2^P with
 * precision P ≤ 20.
 */

/** Number of bits in a tail word. */
const WORD = 2 ** 32;
/** log2 of the lower bound L of the head. */
export const HEAD_LOW_BITS = 20;
/** The lower bound L of the head x ∈ [L, L·2^32). */
const LOW = 2 ** HEAD_LOW_BITS;
/** The largest precision P a distribution may have (P ≤ log2 L keeps the head exact). */
export const MAX_PRECISION = HEAD_LOW_BITS;

/** A deterministic source of 32-bit words for pops from an empty stack (xorshift32, seeded). */
class InitialBits {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
}

/** The message of an rANS coder: a head and a stack of 32-bit words. */
export class Ans {
  private head: number;
  private tail: Uint32Array;
  private size: number;
  private readonly initial: InitialBits;
  /** Words drawn from the seeded initial-bits source because the stack was empty (bits-back's start-up cost). */
  borrowed = 0;

  /**
   * A coder whose message is `words` (as written by {@link serialize}), or an empty message when none
   * are given. Pops from an empty stack draw words from a generator seeded with `seed`.
   */
  constructor(words?: Uint32Array, seed = 0) {
    this.initial = new InitialBits(seed);
    if (!words) {
      this.head = LOW;
      this.tail = new Uint32Array(1024);
      this.size = 0;
      return;
    }
    if (words.length < 2) throw new RangeError('an rANS message needs at least its two head words');
    this.head = words[0] * WORD + words[1];
    if (this.head < LOW || this.head >= LOW * WORD) throw new RangeError(`rANS head ${this.head} outside [2^20, 2^52)`);
    this.size = words.length - 2;
    this.tail = new Uint32Array(Math.max(1024, this.size * 2));
    // Stored bottom first after the head; the top of the stack is the last word.
    this.tail.set(words.subarray(2));
  }

  /** Encodes a symbol with start `start` and frequency `freq` under precision `precision` (Σ f = 2^P). */
  push(start: number, freq: number, precision: number): void {
    if (!(freq >= 1)) throw new RangeError(`rANS push: frequency ${freq} < 1`);
    // Renormalise: keep x < f·2^(52−P) so that the encoded head stays below 2^52 (Duda 2013, §4.2).
    const limit = freq * 2 ** (HEAD_LOW_BITS + 32 - precision);
    let x = this.head;
    while (x >= limit) {
      this.pushWord(x % WORD);
      x = Math.floor(x / WORD);
    }
    // x' = ⌊x / f⌋·2^P + (x mod f) + c  (rANS encoding step).
    let q = Math.floor(x / freq);
    let r = x - q * freq;
    if (r < 0) {
      q -= 1;
      r += freq;
    } else if (r >= freq) {
      q += 1;
      r -= freq;
    }
    this.head = q * 2 ** precision + r + start;
  }

  /** The slot x mod 2^P of the next symbol under precision P: find the symbol s with c_s ≤ slot < c_s + f_s. */
  peek(precision: number): number {
    return this.head % 2 ** precision;
  }

  /** Removes the symbol found from {@link peek}: x ← f·⌊x / 2^P⌋ + slot − c (rANS decoding step). */
  pop(start: number, freq: number, precision: number): void {
    if (!(freq >= 1)) throw new RangeError(`rANS pop: frequency ${freq} < 1`);
    const scale = 2 ** precision;
    const slot = this.head % scale;
    let x = freq * Math.floor(this.head / scale) + slot - start;
    while (x < LOW) x = x * WORD + this.popWord();
    this.head = x;
  }

  /** The message's length in bits: the two head words plus the stack. */
  bits(): number {
    return 32 * (this.size + 2);
  }

  /** The message's information content in bits (log2 of the head plus the stack), for rate accounting. */
  content(): number {
    return Math.log2(this.head) + 32 * this.size;
  }

  /** The message as words: the head's high and low words, then the stack from bottom to top. */
  serialize(): Uint32Array {
    const out = new Uint32Array(this.size + 2);
    out[0] = Math.floor(this.head / WORD);
    out[1] = this.head % WORD;
    out.set(this.tail.subarray(0, this.size), 2);
    return out;
  }

  /**
   * Whether the message is back at its start: an empty stack holding exactly the words borrowed
   * from the initial-bits source (in the order they were drawn) and the initial head. A decoder
   * that undid every push of the encoder ends here; anything else means the probabilities differed.
   */
  isInitial(seed = 0): boolean {
    if (this.head !== LOW) return false;
    const gen = new InitialBits(seed);
    for (let i = this.size - 1; i >= 0; i--) if (this.tail[i] !== gen.next()) return false;
    return true;
  }

  private pushWord(w: number): void {
    if (this.size === this.tail.length) {
      const t = new Uint32Array(this.tail.length * 2);
      t.set(this.tail);
      this.tail = t;
    }
    this.tail[this.size++] = w;
  }

  private popWord(): number {
    if (this.size > 0) return this.tail[--this.size];
    this.borrowed++;
    return this.initial.next();
  }
}
