/**
 * A node of a traced computation. Model code calls the functions of `ops.ts`; each returns a
 * Tensor that records the primitive, its inputs and parameters, and its static shape and dtype.
 * Nothing is computed until a graph is compiled (ONNX) or evaluated (reference interpreter).
 */
import type { Parameter } from './parameter.js';
import type { DType, Primitive, PrimitiveParams } from './primitives.js';

let nextId = 0;

export class Tensor<P extends Primitive = Primitive> {
  /** Creation order; inputs always have smaller ids than the tensors built from them. */
  readonly id: number = nextId++;

  constructor(
    readonly op: P,
    readonly inputs: readonly Tensor[],
    readonly params: PrimitiveParams[P],
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** A short description for error messages, e.g. `matmul[128,512]:float32`. */
  toString(): string {
    return `${this.op}[${this.shape.join(',')}]:${this.dtype}`;
  }

  /** Narrows the type when the op is known. */
  is<Q extends Primitive>(op: Q): this is Tensor<Q> {
    return (this.op as Primitive) === op;
  }
}

/** Product of the dimensions (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * All tensors that `outputs` depend on, each after its inputs (topological order), leaves included.
 */
export function topologicalOrder(outputs: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<number>();
  // Iterative DFS: graphs of deep models would overflow the call stack with recursion.
  const stack: Array<[Tensor, number]> = outputs.map((t) => [t, 0]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    if (seen.has(t.id)) {
      stack.pop();
      continue;
    }
    if (next < t.inputs.length) {
      top[1] = next + 1;
      const child = t.inputs[next];
      if (!seen.has(child.id)) stack.push([child, 0]);
    } else {
      stack.pop();
      seen.add(t.id);
      order.push(t);
    }
  }
  return order;
}

/** Every parameter that `outputs` depend on, in graph order. */
export function parametersOf(outputs: readonly Tensor[]): Parameter[] {
  return topologicalOrder(outputs).flatMap((t) => (t.is('param') ? [t.params.parameter] : []));
}
