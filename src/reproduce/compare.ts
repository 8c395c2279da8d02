/**
 * The seed-vs-vaelab table: for each comparison of an experiment, the seed's number (or claim), vaelab's,
 * their distance and whether it lies within what the budget leads one to expect, with the reason where not.
 */
import type { Budget, Comparison, Values } from './experiment.js';

/** Where vaelab's number stands against the seed's at the budget. */
export type Verdict = 'within' | 'outside' | 'holds' | 'does not hold' | 'not expected at this budget' | 'not measured';

/** One row of the table. */
export interface ComparisonRow {
  readonly quantity: string;
  readonly source: string;
  /** The seed's number (or vaelab's closed-form reference), null for a claim. */
  readonly seed: number | null;
  /** The seed's claim in words, for a claim. */
  readonly claim: string | null;
  readonly vaelab: number | null;
  /** vaelab − seed. */
  readonly distance: number | null;
  /** The distance expected at most at this budget (null: none). */
  readonly tolerance: number | null;
  readonly verdict: Verdict;
  /** Why vaelab's number is outside (or the claim does not hold), else null. */
  readonly why: string | null;
}

const DEFAULT_CLAIM_BUDGETS: readonly Budget[] = ['reduced', 'paper'];

/** The row of `c` at `budget` over the measured `values`. */
export function compareOne(c: Comparison, values: Values, budget: Budget): ComparisonRow {
  const vaelab = values[c.key] ?? null;
  const seed = c.seed ?? (c.seedKey !== undefined ? (values[c.seedKey] ?? null) : null);
  const base = { quantity: c.quantity, source: c.source, seed, claim: c.claim?.text ?? null, vaelab };
  if (vaelab === null || !Number.isFinite(vaelab))
    return { ...base, vaelab: null, distance: null, tolerance: null, verdict: 'not measured', why: c.why };
  if (c.claim) {
    const expected = (c.claimBudgets ?? DEFAULT_CLAIM_BUDGETS).includes(budget);
    const holds = c.claim.holds(vaelab, values);
    const verdict: Verdict = holds ? 'holds' : expected ? 'does not hold' : 'not expected at this budget';
    return { ...base, distance: seed === null ? null : vaelab - seed, tolerance: null, verdict, why: holds ? null : c.why };
  }
  const tolerance = c.tolerance?.[budget] ?? null;
  if (seed === null) return { ...base, distance: null, tolerance, verdict: 'not measured', why: c.why };
  const distance = vaelab - seed;
  if (tolerance === null) return { ...base, distance, tolerance, verdict: 'not expected at this budget', why: c.why };
  const within = Math.abs(distance) <= tolerance;
  return { ...base, distance, tolerance, verdict: within ? 'within' : 'outside', why: within ? null : c.why };
}

/** The table of `comparisons` at `budget`. */
export function compareAll(comparisons: readonly Comparison[], values: Values, budget: Budget): ComparisonRow[] {
  return comparisons.map((c) => compareOne(c, values, budget));
}
