/**
 * A stack-like rANS entropy coder (Duda 2013, "Asymmetric numeral systems"; the variant of Townsend
 * et al. 2019's BB-ANS): `push` encodes a symbol, `pop` decodes the last one pushed, so that popping
 * a sample from a distribution *reads* bits from the message, which bits-back coding relies on.
 *
 * Written here rather than taken from npm: no ANS, range or arithmetic coder turned up in the npm
 * package lists searched, and bits-back needs what general codecs do not expose anyway: a different
 * distribution for every symbol and a pop that draws bits from the message.
 *
 * State arithmetic: the head x lives in [L, L·2^16) with L = 2^36, so x < 2^52 and every operation is
 * exact in float64 integers (no BigInt, no split words). Renormalisation moves 16-bit words between
 * the head and a stack (the tail); 16-bit words let the precision reach P = 36 (32-bit words would
 * cap it at 20, too coarse for bits-back's posterior on 2^8+ buckets). Symbols are coded under
 * quantised distributions: a symbol s has frequency f_s ≥ 1 and start c_s, Σ f = 2^P, P ≤ 36.
 */

/** Bits in a tail word. */
const WORD_BITS = 16;
/** The tail's radix, 2^16. */
const WORD = 2 ** WORD_BITS;
/** log2 of the lower bound L of the head. */
export const HEAD_LOW_BITS = 36;
/** The lower bound L of the head x ∈ [L, L·2^16). */
const LOW = 2 ** HEAD_LOW_BITS;
/** Head words in a serialised message (the 52-bit head as four 16-bit words). */
const HEAD_WORDS = 4;
/** The largest precision P a distribution may have (P ≤ log2 L keeps the head exact). */
export const MAX_PRECISION = HEAD_LOW_BITS;

/** A deterministic source of 16-bit words for pops from an empty stack (xorshift32, seeded). */
class InitialBits {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s >>> 16;
  }
}

/** The message of an rANS coder: a head and a stack of 16-bit words. */
export class Ans {
  private head: number;
  private tail: Uint16Array;
  private size: number;
  private readonly initial: InitialBits;
  /** Words drawn from the seeded initial-bits source because the stack was empty (bits-back's start-up cost). */
  borrowed = 0;

  /**
   * A coder whose message is `words` (as written by {@link serialize}), or an empty message when none
   * are given. Pops from an empty stack draw words from a generator seeded with `seed`.
   */
  constructor(words?: Uint16Array, seed = 0) {
    this.initial = new InitialBits(seed);
    if (!words) {
      this.head = LOW;
      this.tail = new Uint16Array(1024);
      this.size = 0;
      return;
    }
    if (words.length < HEAD_WORDS) throw new RangeError(`an rANS message needs at least its ${HEAD_WORDS} head words`);
    this.head = ((words[0] * WORD + words[1]) * WORD + words[2]) * WORD + words[3];
    if (this.head < LOW || this.head >= LOW * WORD) throw new RangeError(`rANS head ${this.head} outside [2^36, 2^52)`);
    this.size = words.length - HEAD_WORDS;
    this.tail = new Uint16Array(Math.max(1024, this.size * 2));
    // Stored bottom first after the head; the top of the stack is the last word.
    this.tail.set(words.subarray(HEAD_WORDS));
  }

  /** Encodes a symbol with start `start` and frequency `freq` under precision `precision` (Σ f = 2^P). */
  push(start: number, freq: number, precision: number): void {
    if (!(freq >= 1)) throw new RangeError(`rANS push: frequency ${freq} < 1`);
    // Renormalise: keep x < f·2^(52−P) so that the encoded head stays below 2^52 (Duda 2013, §4.2).
    const limit = freq * 2 ** (HEAD_LOW_BITS + WORD_BITS - precision);
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

  /** The message's length in bits: the head words plus the stack. */
  bits(): number {
    return WORD_BITS * (this.size + HEAD_WORDS);
  }

  /** The message's information content in bits (log2 of the head plus the stack), for rate accounting. */
  content(): number {
    return Math.log2(this.head) + WORD_BITS * this.size;
  }

  /** The message as 16-bit words: the head's four words, most significant first, then the stack from bottom to top. */
  serialize(): Uint16Array {
    const out = new Uint16Array(this.size + HEAD_WORDS);
    let h = this.head;
    for (let i = HEAD_WORDS - 1; i >= 0; i--) {
      out[i] = h % WORD;
      h = Math.floor(h / WORD);
    }
    out.set(this.tail.subarray(0, this.size), HEAD_WORDS);
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
      const t = new Uint16Array(this.tail.length * 2);
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
