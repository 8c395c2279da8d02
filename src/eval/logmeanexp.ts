/**
 * Numerically safe log-mean-exp over many chunks, in float64: the importance-sampled estimate
 * log p(x) ≈ log (1/K) Σ_k w_k = logsumexp_k(log w_k) − log K (Burda et al. 2016; seed 002) is built
 * chunk by chunk, so K can be 5,000 while a graph only ever holds K_c samples.
 */

/** Running logsumexp of a stream of values, per example. */
export class LogSumExp {
  /** Running maximum per example. */
  private readonly m: Float64Array;
  /** Σ exp(v − m) per example. */
  private readonly s: Float64Array;
  /** Number of values seen per example. */
  private count = 0;

  constructor(readonly n: number) {
    this.m = new Float64Array(n).fill(-Infinity);
    this.s = new Float64Array(n);
  }

  /**
   * Adds a chunk of log weights, row-major [k, stride] of which the first `n` columns are read
   * (the rest are padding): for example b, logsumexp over the k rows is merged into the running one.
   */
  add(logW: ArrayLike<number>, k: number, stride: number = this.n): void {
    for (let b = 0; b < this.n; b++) {
      let cm = -Infinity;
      for (let j = 0; j < k; j++) cm = Math.max(cm, logW[j * stride + b]);
      if (cm === -Infinity) continue;
      let cs = 0;
      for (let j = 0; j < k; j++) cs += Math.exp(logW[j * stride + b] - cm);
      this.merge(b, cm, cs);
    }
    this.count += k;
  }

  private merge(b: number, cm: number, cs: number): void {
    const m = this.m[b];
    if (cm <= m) this.s[b] += cs * Math.exp(cm - m);
    else {
      this.s[b] = this.s[b] * Math.exp(m - cm) + cs;
      this.m[b] = cm;
    }
  }

  /** logsumexp of everything added, per example. */
  logSumExp(): Float64Array {
    const out = new Float64Array(this.n);
    for (let b = 0; b < this.n; b++) out[b] = this.m[b] + Math.log(this.s[b]);
    return out;
  }

  /** log-mean-exp: logsumexp − log K with K the number of rows added. */
  logMeanExp(): Float64Array {
    const out = this.logSumExp();
    const lk = Math.log(this.count);
    for (let b = 0; b < this.n; b++) out[b] -= lk;
    return out;
  }
}

/** log (1/n) Σ exp(v_i) of one array, in float64. */
export function logMeanExp(values: ArrayLike<number>): number {
  const acc = new LogSumExp(1);
  acc.add(values, values.length, 1);
  return acc.logMeanExp()[0];
}
