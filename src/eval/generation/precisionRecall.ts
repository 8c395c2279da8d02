/**
 * Improved precision and recall of a generative model (Kynkäänniemi et al. 2019): each set of
 * feature vectors stands for its manifold, the union of balls around its points with radius the
 * distance to the point's k-th nearest neighbour in the same set (k = 3). Precision is the fraction
 * of generated points inside the real manifold; recall the fraction of real points inside the
 * generated one. Brute-force distances (n² F): a few thousand points take about a second, and no
 * npm k-NN library does exact Euclidean k-th-neighbour radii over Float32 rows with less code.
 */

/** Squared distances from every row of `a` [na, f] to every row of `b` [nb, f], row-major [na, nb]. */
function squaredDistances(a: Float32Array, b: Float32Array, f: number): Float64Array {
  const na = a.length / f;
  const nb = b.length / f;
  const normB = new Float64Array(nb);
  for (let j = 0; j < nb; j++) {
    let s = 0;
    for (let t = 0; t < f; t++) s += b[j * f + t] ** 2;
    normB[j] = s;
  }
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    let normA = 0;
    for (let t = 0; t < f; t++) normA += a[i * f + t] ** 2;
    for (let j = 0; j < nb; j++) {
      let dot = 0;
      for (let t = 0; t < f; t++) dot += a[i * f + t] * b[j * f + t];
      out[i * nb + j] = Math.max(normA + normB[j] - 2 * dot, 0);
    }
  }
  return out;
}

/** Squared radius of each point's ball: the squared distance to its k-th nearest other point in the set. */
export function kthNeighbourRadii(x: Float32Array, f: number, k: number): Float64Array {
  const n = x.length / f;
  if (n <= k) throw new RangeError(`kthNeighbourRadii: need more than k = ${k} points, got ${n}`);
  const d = squaredDistances(x, x, f);
  const radii = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.set(d.subarray(i * n, (i + 1) * n));
    row[i] = Infinity; // not its own neighbour
    radii[i] = row.sort()[k - 1];
  }
  return radii;
}

/** The fraction of rows of `query` that lie in at least one ball (centre a row of `ref`, squared radius `radii`). */
function coverage(query: Float32Array, ref: Float32Array, radii: Float64Array, f: number): number {
  const nq = query.length / f;
  const nr = ref.length / f;
  const d = squaredDistances(query, ref, f);
  let inside = 0;
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < nr; j++) {
      if (d[i * nr + j] <= radii[j]) {
        inside++;
        break;
      }
    }
  }
  return inside / nq;
}

/** Precision and recall (Kynkäänniemi et al. 2019). */
export interface PrecisionRecall {
  /** Fraction of generated points inside the real manifold. */
  readonly precision: number;
  /** Fraction of real points inside the generated manifold. */
  readonly recall: number;
}

/** Precision and recall of `generated` against `real` (row-major [n, f] each) with k-NN balls (default k = 3). */
export function precisionRecall(real: Float32Array, generated: Float32Array, f: number, k = 3): PrecisionRecall {
  return {
    precision: coverage(generated, real, kthNeighbourRadii(real, f, k), f),
    recall: coverage(real, generated, kthNeighbourRadii(generated, f, k), f),
  };
}
