/**
 * Jacobians for tests of change-of-variables code (flows): the numerical Jacobian of a map R^d → R^d by
 * central differences and log|det| by Gaussian elimination, both in float64.
 */

/** J[i][j] = ∂f_i/∂z_j at z, by central differences with step h. */
export function numericalJacobian(f: (z: number[]) => ArrayLike<number>, z: readonly number[], h = 1e-5): number[][] {
  const d = z.length;
  const J = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    const up = [...z];
    const dn = [...z];
    up[j] += h;
    dn[j] -= h;
    const a = f(up);
    const b = f(dn);
    for (let i = 0; i < d; i++) J[i][j] = (a[i] - b[i]) / (2 * h);
  }
  return J;
}

/** log|det m| of a square matrix, by Gaussian elimination with partial pivoting. */
export function logAbsDet(m: readonly (readonly number[])[]): number {
  const a = m.map((r) => [...r]);
  const d = a.length;
  let s = 0;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    s += Math.log(Math.abs(a[c][c]));
    for (let r = c + 1; r < d; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < d; k++) a[r][k] -= f * a[c][k];
    }
  }
  return s;
}
