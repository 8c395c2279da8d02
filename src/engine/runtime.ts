/**
 * Execution of ONNX models on onnxruntime, through the backend of `runtimeBackend.ts`
 * (onnxruntime-node by default, onnxruntime-web in the browser). A {@link CompiledGraph} wraps one
 * inference session; sessions are cached by a hash of the model bytes and the session options,
 * because creating one costs 30-80 ms while a run costs ~40 us plus the work.
 */
import type * as ort from 'onnxruntime-common';
import { defaultBackend } from './defaultBackend.js';
import type { RuntimeBackend } from './runtimeBackend.js';
import { buildOnnxModel, type OnnxGraphSpec, type OnnxTarget } from './onnx/model.js';
import type { DType } from './primitives.js';

/**
 * A value fed to a run: float32 -> Float32Array, int64 -> BigInt64Array, bool -> Uint8Array (0/1),
 * or a plain number for a scalar / single-element input of any of these dtypes.
 */
export type Feed = Float32Array | BigInt64Array | Uint8Array | number;

/** A value read back from a run (always a fresh copy owned by the caller). */
export type Fetched = Float32Array | BigInt64Array | Uint8Array;

/** Session options. */
export interface RuntimeOptions {
  /**
   * Intra-op threads. Default: onnxruntime's choice (one per physical core). Pass 1 for
   * reproducible timings or when several sessions run side by side.
   */
  threads?: number;
  /**
   * Turns on onnxruntime's profiler; the JSON trace (chrome://tracing format) is written to
   * `<profile>_<timestamp>.json` when {@link CompiledGraph.endProfiling} is called.
   */
  profile?: string;
}

/** Static description of one graph input or output. */
interface Port {
  name: string;
  dtype: DType;
  shape: readonly number[];
  size: number;
}

const ORT_TO_DTYPE: Record<string, DType | undefined> = { float32: 'float32', int64: 'int64', bool: 'bool' };
const ARRAY_OF: { readonly [D in DType]: string } = { float32: 'Float32Array', int64: 'BigInt64Array', bool: 'Uint8Array' };

function port(meta: ort.InferenceSession.ValueMetadata, what: string): Port {
  if (!meta.isTensor) throw new Error(`runtime: ${what} '${meta.name}' is not a tensor`);
  const dtype = ORT_TO_DTYPE[meta.type];
  if (!dtype) throw new Error(`runtime: ${what} '${meta.name}' has unsupported type ${meta.type}`);
  if (meta.shape.some((d) => typeof d !== 'number' || d < 0)) {
    throw new Error(`runtime: ${what} '${meta.name}' has a dynamic shape [${meta.shape}]; vaelab graphs are static`);
  }
  const shape = meta.shape as number[];
  return { name: meta.name, dtype, shape, size: shape.reduce((a, b) => a * b, 1) };
}

const describe = (p: Port): string => `[${p.shape.join(',')}]:${p.dtype}`;

/** Wraps `value` for input (or preallocated output) `p` without copying (numbers become a one-element array). */
function toOrt(p: Port, value: Feed, what = 'input'): ort.Tensor {
  let data: Float32Array | BigInt64Array | Uint8Array;
  if (typeof value === 'number') {
    data =
      p.dtype === 'float32' ? Float32Array.of(value) : p.dtype === 'int64' ? BigInt64Array.of(BigInt(value)) : Uint8Array.of(value ? 1 : 0);
  } else {
    data = value;
  }
  const ok =
    p.dtype === 'float32' ? data instanceof Float32Array : p.dtype === 'int64' ? data instanceof BigInt64Array : data instanceof Uint8Array;
  if (!ok) throw new Error(`runtime: ${what} '${p.name}' ${describe(p)} needs a ${ARRAY_OF[p.dtype]}, got ${data.constructor.name}`);
  if (data.length !== p.size) {
    throw new Error(`runtime: ${what} '${p.name}' ${describe(p)} needs ${p.size} elements, got ${data.length}`);
  }
  return backend.tensor(p.dtype, data, p.shape);
}

let backend: RuntimeBackend = defaultBackend;

/**
 * Makes the engine run every session created from now on with `b` (e.g. onnxruntime-web's backend
 * with chosen threads); sessions already cached keep theirs, so call it first.
 */
export function setRuntimeBackend(b: RuntimeBackend): void {
  backend = b;
}

/** The backend new sessions run on. */
export function runtimeBackend(): RuntimeBackend {
  return backend;
}

const cache = new Map<string, Promise<CompiledGraph>>();

/** A hex SHA-256 of the model bytes and session options: the session cache key. */
export function sessionKey(model: Uint8Array, opts: RuntimeOptions = {}): string {
  const options = new TextEncoder().encode(
    JSON.stringify({ backend: backend.name, threads: opts.threads ?? 0, profile: opts.profile ?? null }),
  );
  const bytes = new Uint8Array(model.length + options.length);
  bytes.set(model);
  bytes.set(options, model.length);
  return backend.sha256(bytes);
}

/** An ONNX model loaded into an onnxruntime session, ready to run many times. */
export class CompiledGraph {
  private readonly inputs: Map<string, Port>;
  private readonly outputs: Map<string, Port>;

  private constructor(
    private readonly session: ort.InferenceSession,
    /** The cache key of this session (see {@link sessionKey}). */
    readonly key: string,
  ) {
    this.inputs = new Map(session.inputMetadata.map((m) => [m.name, port(m, 'input')]));
    this.outputs = new Map(session.outputMetadata.map((m) => [m.name, port(m, 'output')]));
  }

  /**
   * The session for `model` with `opts`, created once and shared: the same bytes and options give
   * the same CompiledGraph. Session options: graph optimisation 'all', sequential execution, one
   * inter-op thread, CPU memory arena on, errors-only logging. Cached sessions live until
   * {@link CompiledGraph.release} or {@link clearSessionCache}: release graphs built once with
   * parameters baked in (e.g. per-epoch evaluation graphs), or the cache grows with each.
   */
  static create(model: Uint8Array, opts: RuntimeOptions = {}): Promise<CompiledGraph> {
    const key = sessionKey(model, opts);
    let entry = cache.get(key);
    if (!entry) {
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: [...backend.executionProviders],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        interOpNumThreads: 1,
        enableCpuMemArena: true,
        logSeverityLevel: 3,
      };
      if (opts.threads !== undefined) options.intraOpNumThreads = opts.threads;
      if (opts.profile !== undefined) {
        options.enableProfiling = true;
        options.profileFilePrefix = opts.profile;
      }
      entry = backend.createSession(model, options).then((s) => new CompiledGraph(s, key));
      entry.catch(() => cache.delete(key));
      cache.set(key, entry);
    }
    return entry;
  }

  /** Input names with their static shapes and dtypes, in graph order. */
  get inputSignature(): readonly { name: string; dtype: DType; shape: readonly number[] }[] {
    return [...this.inputs.values()].map(({ name, dtype, shape }) => ({ name, dtype, shape }));
  }

  /** Output names with their static shapes and dtypes, in graph order. */
  get outputSignature(): readonly { name: string; dtype: DType; shape: readonly number[] }[] {
    return [...this.outputs.values()].map(({ name, dtype, shape }) => ({ name, dtype, shape }));
  }

  /**
   * Runs the graph. Every input must be fed, by name; `outputNames` (default: all) picks what is
   * computed and returned. Feeds are wrapped without copying and read while the returned promise
   * is pending (onnxruntime-node runs the session in a setImmediate callback, blocking the event
   * loop meanwhile): do not mutate them until it resolves; mutating them afterwards has no effect
   * on the results, which are fresh copies.
   *
   * `into` names preallocated buffers for some outputs: onnxruntime writes those outputs straight into
   * them and they are returned as they are. This skips allocating and copying a new array per output
   * (measured here: a 4 MB output costs ~2 ms less per run), which pays off for parameters and
   * optimizer state. A buffer must have the output's dtype and size, and must not also be fed as an input.
   */
  async run(
    feeds: Readonly<Record<string, Feed>>,
    outputNames?: readonly string[],
    into: Readonly<Record<string, Fetched>> = {},
  ): Promise<Record<string, Fetched>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.has(name)) {
        throw new Error(`runtime: '${name}' is not an input of this graph (inputs: ${[...this.inputs.keys()].join(', ')})`);
      }
    }
    for (const p of this.inputs.values()) {
      const value = feeds[p.name];
      if (value === undefined) throw new Error(`runtime: missing feed '${p.name}' ${describe(p)}`);
      ortFeeds[p.name] = toOrt(p, value);
    }
    const fetches = outputNames ? [...outputNames] : [...this.outputs.keys()];
    for (const name of fetches) {
      if (!this.outputs.has(name)) {
        throw new Error(`runtime: '${name}' is not an output of this graph (outputs: ${[...this.outputs.keys()].join(', ')})`);
      }
    }
    const targets: Record<string, ort.Tensor | null> = {};
    for (const name of fetches) {
      const buffer = into[name];
      targets[name] = buffer === undefined || !backend.preallocatedOutputs ? null : toOrt(this.outputs.get(name)!, buffer, 'output');
    }
    const result = await this.session.run(ortFeeds, targets);
    const out: Record<string, Fetched> = {};
    for (const name of fetches) {
      const data = result[name].data as Fetched;
      const buffer = into[name];
      if (buffer !== undefined && buffer !== data) buffer.set(data as Float32Array & BigInt64Array & Uint8Array);
      out[name] = buffer ?? data;
    }
    return out;
  }

  /** Writes the profile started by `opts.profile` (no-op otherwise). */
  endProfiling(): void {
    this.session.endProfiling();
  }

  /** Releases the session and drops it from the cache. */
  async release(): Promise<void> {
    cache.delete(this.key);
    await this.session.release();
  }
}

/** Releases every cached session (tests, long-lived servers switching models). */
export async function clearSessionCache(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  await Promise.all(entries.map(async (e) => (await e.catch(() => undefined))?.release()));
}

/** What models for the current backend may use beyond standard ONNX (its blocked convolution kernels). */
export async function backendTarget(): Promise<OnnxTarget> {
  return { nchwcBlock: (await backend.nchwcBlock?.()) ?? 0 };
}

/** {@link buildOnnxModel} for the current backend ({@link backendTarget}) followed by {@link CompiledGraph.create}. */
export async function compileGraph(spec: OnnxGraphSpec, opts: RuntimeOptions = {}): Promise<CompiledGraph> {
  return CompiledGraph.create(buildOnnxModel(spec, await backendTarget()), opts);
}
