/**
 * A compiled forward graph (evaluation, encoding, sampling) that reads each parameter's current
 * value at every run, so it follows training without being rebuilt.
 */
import type { Parameter } from './parameter.js';
import { compileGraph, type CompiledGraph, type Feed, type Fetched, type RuntimeOptions } from './runtime.js';
import { parametersOf, type Tensor } from './tensor.js';

/** What to compile: the fed inputs and the named outputs. */
export interface GraphFunctionSpec {
  inputs: readonly Tensor<'input'>[];
  outputs: Readonly<Record<string, Tensor>>;
  /** Graph name, for profiles and error messages. */
  name?: string;
}

export class GraphFunction {
  private constructor(
    private readonly graph: CompiledGraph,
    /** The parameters the graph reads; fed from `Parameter.value` at each run. */
    readonly params: readonly Parameter[],
  ) {}

  /** Compiles `spec` on onnxruntime (sessions are cached by the graph's bytes). */
  static async create(spec: GraphFunctionSpec, opts: RuntimeOptions = {}): Promise<GraphFunction> {
    const graph = await compileGraph({ ...spec, params: 'inputs' }, opts);
    return new GraphFunction(graph, parametersOf(Object.values(spec.outputs)));
  }

  /** Runs on `feeds` (every input by name) with the parameters' current values. */
  run(feeds: Record<string, Feed>, outputNames?: readonly string[]): Promise<Record<string, Fetched>> {
    const all: Record<string, Feed> = { ...feeds };
    for (const p of this.params) all[p.name] = p.value;
    return this.graph.run(all, outputNames);
  }
}
