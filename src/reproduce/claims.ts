/** Claims that compare vaelab's value with another of its values (the seeds' "better than" statements). */
import type { Claim, Values } from './experiment.js';

type Test = Claim['holds'];

/** Holds when the other value is measured and `cmp(value, other)` is true. */
const against =
  (other: string, cmp: (v: number, o: number) => boolean): Test =>
  (v: number, values: Values) => {
    const o = values[other];
    return o !== null && o !== undefined && cmp(v, o);
  };

/** vaelab's value < the value at `other`. */
export const below = (other: string): Test => against(other, (v, o) => v < o);
/** vaelab's value > the value at `other`. */
export const above = (other: string): Test => against(other, (v, o) => v > o);
/** vaelab's value ≥ the value at `other`. */
export const atLeast = (other: string): Test => against(other, (v, o) => v >= o);
/** vaelab's value ≤ the value at `other`. */
export const atMost = (other: string): Test => against(other, (v, o) => v <= o);
/** A value reported without a reference: always holds. */
export const reported: Test = () => true;
