/**
 * MADE (Germain et al. 2015): a masked MLP whose output i depends only on inputs < i, the building
 * block of inverse autoregressive flows. Masks are constant tensors multiplied into the weights.
 */
import { add, constant, matmul, mul, param } from '../engine/ops.js';
import type { Parameter } from '../engine/parameter.js';
import type { Tensor } from '../engine/tensor.js';
import { activation, type ActivationName } from './activation.js';
import { lecunUniform, zerosInit, type Initializer } from './init.js';
import type { ParameterStore } from './store.js';

/** A dense layer y = x (W ⊙ M) + b with a fixed 0/1 mask M [in, out]. */
export class MaskedLinear {
  readonly weight: Parameter;
  readonly bias: Parameter;
  private readonly maskTensor: Tensor;

  constructor(
    store: ParameterStore,
    name: string,
    readonly mask: Float64Array,
    inF: number,
    outF: number,
    biasInit: Initializer,
  ) {
    this.weight = store.create(`${name}.weight`, [inF, outF], lecunUniform);
    this.bias = store.create(`${name}.bias`, [outF], biasInit);
    this.maskTensor = constant(mask, [inF, outF]);
  }

  apply(x: Tensor): Tensor {
    return add(matmul(x, mul(param(this.weight), this.maskTensor)), param(this.bias));
  }
}

/** Degrees of MADE units: inputs 1..d, hidden cycling through 1..max(1, d−1). */
export function madeDegrees(d: number, hidden: readonly number[]): { input: number[]; hidden: number[][] } {
  const input = Array.from({ length: d }, (_, i) => i + 1);
  const span = Math.max(1, d - 1);
  return { input, hidden: hidden.map((h) => Array.from({ length: h }, (_, k) => (k % span) + 1)) };
}

/** Mask [in, out] with M[i, j] = 1 when `allow(inDegree_i, outDegree_j)`. */
export function degreeMask(inDeg: readonly number[], outDeg: readonly number[], allow: (a: number, b: number) => boolean): Float64Array {
  const m = new Float64Array(inDeg.length * outDeg.length);
  inDeg.forEach((a, i) => outDeg.forEach((b, j) => (m[i * outDeg.length + j] = allow(a, b) ? 1 : 0)));
  return m;
}

/**
 * MADE with `outputs` heads of size d: head h, unit i depends on inputs 1..i−1 only
 * (Germain et al. 2015: hidden M = [m_h ≥ m_in], output M = [m_out > m_h]). With `contextSize` > 0 the
 * first hidden layer also reads a context h unmasked, W_z z + W_h h + b (Kingma et al. 2016, §3: the
 * IAF's autoregressive networks take the encoder's h), which keeps every output autoregressive in z.
 */
export class MADE {
  readonly layers: MaskedLinear[];
  /** W_h [contextSize, hidden₀] of the context, or null. */
  readonly context: Parameter | null;
  private readonly act: (x: Tensor) => Tensor;

  /**
   * @param headBias initial bias of each head (IAF starts its gate head at +1 so σ ≈ 0.73).
   */
  constructor(
    store: ParameterStore,
    name: string,
    readonly d: number,
    hidden: readonly number[],
    readonly outputs: number,
    act: ActivationName = 'relu',
    headBias: readonly number[] = [],
    contextSize = 0,
  ) {
    const deg = madeDegrees(d, hidden);
    const outDeg = Array.from({ length: outputs }, () => deg.input).flat();
    const widths = [d, ...hidden, d * outputs];
    const degrees = [deg.input, ...deg.hidden, outDeg];
    const last = widths.length - 2;
    const outBias: Initializer = (s) => {
      const b = new Float32Array(s[0]);
      for (let h = 0; h < outputs; h++) b.fill(headBias[h] ?? 0, h * d, (h + 1) * d);
      return b;
    };
    this.layers = widths.slice(1).map((w, i) => {
      const isLast = i === last;
      const mask = degreeMask(degrees[i], degrees[i + 1], isLast ? (a, b) => b > a : (a, b) => b >= a);
      return new MaskedLinear(store, `${name}.${i}`, mask, widths[i], w, isLast ? outBias : zerosInit);
    });
    this.act = activation(act);
    this.context = contextSize > 0 && hidden.length > 0 ? store.create(`${name}.context`, [contextSize, hidden[0]], lecunUniform) : null;
  }

  /** z [..., d] (and context h [..., c], broadcast against z) → [..., outputs·d], head h in columns [h·d, (h+1)·d). */
  apply(z: Tensor, context?: Tensor): Tensor {
    return this.layers.reduce((h, layer, i) => {
      let y = layer.apply(h);
      if (i === 0 && this.context && context) y = add(y, matmul(context, param(this.context)));
      return i < this.layers.length - 1 ? this.act(y) : y;
    }, z);
  }
}
