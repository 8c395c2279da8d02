/**
 * Gradient checking for tests: the analytic gradient (grad(), evaluated by the float64 reference
 * interpreter) against central finite differences of the same graph.
 */
import { grad } from '../grad.js';
import { constant, input } from '../ops.js';
import type { Parameter } from '../parameter.js';
import type { DType } from '../primitives.js';
import { Random } from '../random.js';
import { interpret } from '../reference.js';
import type { Tensor } from '../tensor.js';

/** One argument of the function under test. */
export interface ArgSpec {
  shape: readonly number[];
  /** Fixed values (row-major); random when omitted. */
  values?: ArrayLike<number>;
  /** Random values are drawn uniformly from [lo, hi] (default [-2, 2]) when `values` is omitted. */
  range?: [number, number];
  /** Default float32; int64/bool arguments are fed but not differentiated. */
  dtype?: DType;
}

/** Tolerances and seed of a gradient check. */
export interface GradCheckOptions {
  seed?: number;
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Passes when |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|) (defaults 1e-6, 1e-6). */
  rtol?: number;
  atol?: number;
  /** Use a random output cotangent (default true) rather than ones, to exercise non-uniform dy. */
  randomDy?: boolean;
}

/** The outcome of a gradient check. */
export interface GradCheckResult {
  ok: boolean;
  /** Largest |analytic − numeric| / (atol + rtol·max(|a|,|n|)); ≤ 1 passes. */
  worst: number;
  /** Where the worst element is, with both values, for failure messages. */
  message: string;
  analytic: Float64Array[];
  numeric: Float64Array[];
}

/** Leaves of the graph to differentiate, each with its float64 value (input or param leaves). */
export type LeafValues = Map<Tensor, Float64Array>;

/**
 * Compares grad(y, leaves, dy) with central differences of L = Σ y·dy:
 * ∂L/∂xᵢ ≈ (L(x + ε eᵢ) − L(x − ε eᵢ)) / 2ε, every element of every float leaf in turn.
 */
export function checkGradient(y: Tensor, leaves: LeafValues, opts: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-6, rtol = 1e-6, atol = 1e-6, randomDy = true } = opts;
  const rng = new Random(opts.seed ?? 1234);
  const dyValues = Float64Array.from({ length: y.size }, () => (randomDy ? rng.uniform() * 2 - 1 : 1));
  const dy = constant(dyValues, y.shape);

  const wrt = [...leaves.keys()].filter((t) => t.dtype === 'float32');
  const evalAt = (outs: Tensor[]): Float64Array[] => {
    const feeds: Record<string, Float64Array> = {};
    const params = new Map<Parameter, Float64Array>();
    for (const [t, v] of leaves) {
      if (t.is('input')) feeds[t.params.name] = v;
      else if (t.is('param')) params.set(t.params.parameter, v);
      else throw new Error(`checkGradient: leaf ${t} is neither an input nor a param`);
    }
    return interpret(outs, feeds, { params });
  };
  const loss = (): number => evalAt([y])[0].reduce((s, v, i) => s + v * dyValues[i], 0);

  const analytic = evalAt(grad(y, wrt, dy));
  const numeric = wrt.map((t) => {
    const v = leaves.get(t) as Float64Array;
    return Float64Array.from(v, (x0, i) => {
      v[i] = x0 + eps;
      const up = loss();
      v[i] = x0 - eps;
      const down = loss();
      v[i] = x0;
      return (up - down) / (2 * eps);
    });
  });

  let worst = 0;
  let message = 'all gradients match';
  wrt.forEach((t, k) => {
    analytic[k].forEach((a, i) => {
      const n = numeric[k][i];
      const err = Math.abs(a - n) / (atol + rtol * Math.max(Math.abs(a), Math.abs(n)));
      if (!(err <= worst)) {
        worst = Number.isNaN(err) ? Infinity : err;
        message = `argument ${k} (${t}) element ${i}: analytic ${a}, numeric ${n}`;
      }
    });
  });
  return { ok: worst <= 1, worst, message, analytic, numeric };
}

/**
 * Builds `f` on input leaves described by `args` (random values from a seeded Random unless given)
 * and checks its gradient with {@link checkGradient}. Throws with the worst element on failure.
 */
export function expectGradient(f: (...xs: Tensor[]) => Tensor, args: readonly ArgSpec[], opts: GradCheckOptions = {}): GradCheckResult {
  const rng = new Random((opts.seed ?? 1234) + 1);
  const leaves: LeafValues = new Map();
  const xs = args.map((a, i) => {
    const t = input(`x${i}`, a.shape, a.dtype ?? 'float32');
    const [lo, hi] = a.range ?? [-2, 2];
    const values = a.values ? Float64Array.from(a.values) : Float64Array.from({ length: t.size }, () => lo + (hi - lo) * rng.uniform());
    leaves.set(t, values);
    return t;
  });
  const result = checkGradient(f(...xs), leaves, opts);
  if (!result.ok) throw new Error(`gradient check failed (worst ${result.worst.toFixed(2)}× tolerance): ${result.message}`);
  return result;
}
