/**
 * A compiled forward graph (evaluation, encoding, sampling) that reads each parameter's current
 * value at every run, so it follows training without being rebuilt.
 */
import type { Parameter } from './parameter.js';
import { compileGraph, type CompiledGraph, type Feed, type Fetched, type RuntimeOptions } from './runtime.js';
import type { DType } from './primitives.js';
import { parametersOf, type Tensor } from './tensor.js';

/** What to compile: the fed inputs and the named outputs. */
export interface GraphFunctionSpec<O extends string = string> {
  inputs: readonly Tensor<'input'>[];
  outputs: Readonly<Record<O, Tensor>>;
  /** Graph name, for profiles and error messages. */
  name?: string;
}

/** `O`: the output names, so that a run's result is typed by them (`(await f.run(feeds)).loss`). */
export class GraphFunction<O extends string = string> {
  private constructor(
    private readonly graph: CompiledGraph,
    /** The parameters the graph reads; fed from `Parameter.value` at each run. */
    readonly params: readonly Parameter[],
    /** The dtype of each output. */
    private readonly dtypes: Readonly<Record<O, DType>>,
  ) {}

  /** Compiles `spec` on onnxruntime (sessions are cached by the graph's bytes). */
  static async create<O extends string>(spec: GraphFunctionSpec<O>, opts: RuntimeOptions = {}): Promise<GraphFunction<O>> {
    const graph = await compileGraph({ ...spec, params: 'inputs' }, opts);
    const outputs = Object.entries(spec.outputs) as [O, Tensor][];
    const dtypes = Object.fromEntries(outputs.map(([name, t]) => [name, t.dtype])) as Record<O, DType>;
    return new GraphFunction<O>(graph, parametersOf(outputs.map(([, t]) => t)), dtypes);
  }

  /** Runs on `feeds` (every input by name) with the parameters' current values; `outputNames` (default all) picks the outputs. */
  run<K extends O = O>(feeds: Record<string, Feed>, outputNames?: readonly K[]): Promise<Record<K, Fetched>> {
    const all: Record<string, Feed> = { ...feeds };
    for (const p of this.params) all[p.name] = p.value;
    return this.graph.run(all, outputNames) as Promise<Record<K, Fetched>>;
  }

  /**
   * {@link run} for float32 outputs, typed as Float32Array: throws when one of `outputNames` (default
   * all) is an int64 or bool tensor.
   */
  async runFloat32<K extends O = O>(feeds: Record<string, Feed>, outputNames?: readonly K[]): Promise<Record<K, Float32Array>> {
    const names = outputNames ?? (Object.keys(this.dtypes) as K[]);
    const other = names.filter((n) => this.dtypes[n] !== 'float32');
    if (other.length > 0) throw new Error(`runFloat32: ${other.map((n) => `${n} is ${this.dtypes[n]}`).join(', ')}; use run()`);
    return (await this.run(feeds, names)) as Record<K, Float32Array>;
  }
}
