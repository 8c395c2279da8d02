/** NaN/Inf detection on the values a training step and an evaluation return. */
import { UserError } from '../engine/errors.js';
import type { EvaluationResult } from '../eval/evaluate.js';

/** Training produced a NaN or an infinity; the message names the step and the term. */
export class NonFiniteError extends UserError {
  override readonly name = 'NonFiniteError';
  constructor(
    /** The 1-based step whose results held the value. */
    readonly step: number,
    /** The term (`loss`, `kl`, `klPerLatent[3]`, ...). */
    readonly term: string,
    /** The offending value. */
    readonly value: number,
    /** What was kept: e.g. `the checkpoint of step 40 is kept`, or that none was written. */
    kept = '',
  ) {
    super(
      `training diverged at step ${step}: ${term} is ${value} (try a lower --lr, a gradient clip (--clip-norm), or a smaller --beta${kept ? `; ${kept}` : ''})`,
    );
  }
}

/** The order terms are checked in: the parts before the sums they make up, so the message names the cause. */
const TERM_ORDER = ['reconstruction', 'kl', 'klPerLatent', 'elbo', 'loss'];

/**
 * Checks every value of a step's results and throws a {@link NonFiniteError} naming the first
 * non-finite one: the terms reconstruction, KL, KL per latent, ELBO, loss (the loss is their sum, so
 * it would hide which one blew up), then any others, then the parameters after the update
 * (`parameter decoder/l0/w[3]`: the terms were finite but the update was not); vector terms are
 * named `term[i]`. `kept` says which checkpoint survives.
 */
export function checkFinite(
  results: Readonly<Record<string, Float32Array>>,
  step: number,
  params: readonly { readonly name: string; readonly value: Float32Array }[] = [],
  kept = '',
): void {
  const rank = (k: string): number => (TERM_ORDER.includes(k) ? TERM_ORDER.indexOf(k) : TERM_ORDER.length);
  const keys = Object.keys(results).sort((a, b) => rank(a) - rank(b));
  const check = (v: Float32Array, name: string, vector: boolean): void => {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new NonFiniteError(step, vector ? `${name}[${i}]` : name, v[i], kept);
    }
  };
  for (const key of keys) check(results[key], key, results[key].length !== 1);
  for (const p of params) check(p.value, `parameter ${p.name}`, true);
}

/** An evaluation produced a NaN or an infinity; the message names the term. */
export class NonFiniteEvaluationError extends UserError {
  override readonly name = 'NonFiniteEvaluationError';
}

/**
 * Throws a {@link NonFiniteEvaluationError} naming the first non-finite term of an evaluation (test
 * ELBO, reconstruction, KL, NLL) rather than letting it print as "-" with exit code 0.
 */
export function checkFiniteEvaluation(r: Pick<EvaluationResult, 'elbo' | 'reconstruction' | 'kl' | 'nll' | 'nllK' | 'n'>): void {
  const terms: Array<[string, number | null]> = [
    ['reconstruction', r.reconstruction],
    ['KL', r.kl],
    ['ELBO', r.elbo],
    [`NLL (K = ${r.nllK})`, r.nll],
  ];
  for (const [name, v] of terms) {
    if (v !== null && !Number.isFinite(v)) {
      throw new NonFiniteEvaluationError(
        `the evaluation on ${r.n} test examples gave a test ${name} of ${v}: the model's outputs overflow on these data (a diverged or badly scaled model); retrain with a lower --lr or --clip-norm`,
      );
    }
  }
}
