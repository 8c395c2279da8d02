/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4 and 7.5) with
 * a backtracking Armijo line search, for the small smooth convex problems of the metrics (logistic
 * regression). Written here: no maintained npm package offers L-BFGS on plain Float64Arrays, and the
 * method is forty lines.
 */

/** f(θ) and its gradient, written into `grad`. */
export type Objective = (theta: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Iterations (default 200). */
  readonly maxIter?: number;
  /** Stop when max |∇f| falls below this (default 1e-6). */
  readonly gradTol?: number;
  /** Correction pairs kept (default 10). */
  readonly memory?: number;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  readonly theta: Float64Array;
  readonly value: number;
  readonly iterations: number;
  /** max |∇f| at `theta`. */
  readonly gradNorm: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Minimises `f` from `theta0` (not modified). */
export function minimizeLbfgs(f: Objective, theta0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.gradTol ?? 1e-6;
  const m = opts.memory ?? 10;
  const n = theta0.length;
  let x = Float64Array.from(theta0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Array<number>(m);
  let iter = 0;
  for (; iter < maxIter && maxAbs(g) > tol; iter++) {
    // Two-loop recursion: dir = −H ∇f (N&W Algorithm 7.4).
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], dir);
      for (let i = 0; i < n; i++) dir[i] -= alpha[j] * Y[j][i];
    }
    const gamma =
      S.length > 0 ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], dir);
      for (let i = 0; i < n; i++) dir[i] += (alpha[j] - beta) * S[j][i];
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, dir);
    }
    // Backtracking until the Armijo condition f(x + t d) <= f(x) + 1e-4 t ∇f·d holds.
    let t = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let k = 0; k < 40; k++, t *= 0.5) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + t * dir[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * t * slope) break;
    }
    if (!(fNew <= fx)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const done = Math.abs(fx - fNew) <= 1e-12 * Math.max(1, Math.abs(fx));
    x = xNew;
    g = gNew;
    fx = fNew;
    if (done) break;
  }
  return { theta: x, value: fx, iterations: iter, gradNorm: maxAbs(g) };
}
