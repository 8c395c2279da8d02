/**
 * A trainable parameter: a named float32 array that lives outside any graph. Graphs refer to it
 * through a `param` leaf (see `param()` in ops.ts); a training step reads its value, computes the
 * update and writes the new value back here.
 */
export class Parameter {
  /**
   * Current value, row-major, `shape.reduce(*)` long. A training step updates it: in place (the fused
   * optimizer moves it into its WebAssembly memory on the first step and writes it there), or by replacing
   * the array with one whose old buffer a later step reuses (the optimizer in the graph). Either way, copy
   * a value (`Float32Array.from(p.value)`) to keep it; assigning a new array is always safe.
   */
  value: Float32Array;

  /**
   * @param name dotted path such as `encoder.fc1.weight`; unique within a model.
   * @param shape static shape.
   * @param value initial value; zeros when omitted.
   */
  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    value?: Float32Array,
  ) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (value && value.length !== size) {
      throw new Error(`Parameter ${name}: value has ${value.length} elements, shape [${shape}] needs ${size}`);
    }
    this.value = value ?? new Float32Array(size);
  }

  /** Number of scalars. */
  get size(): number {
    return this.value.length;
  }
}
