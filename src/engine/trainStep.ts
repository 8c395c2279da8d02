/**
 * A training step: forward pass, reverse-mode gradients, optional global-norm clipping and the optimizer
 * update. Two ways to run it, with the same numbers:
 *
 * - fused (the default where the optimizer has a fused form, as Adam has): one ONNX graph computes the loss
 *   and writes the gradients into the optimizer's WebAssembly memory, then one pass of the fused kernel
 *   updates every parameter and slot in place (wasm/fusedAdam.ts);
 * - in the graph: the optimizer's graph rewrite is appended, so one ONNX run does forward, backward and
 *   update, and S steps can run in one ONNX Loop; parameters and state round-trip through each run.
 *
 * The learning rate and other per-step scalars are computed here per step, so a schedule never rebuilds
 * the session.
 */
import { CheckpointError, type TensorGroup } from './safetensors.js';
import { grad } from './grad.js';
import { input, param } from './ops.js';
import { clipByGlobalNorm, scalarInputs, type Optimizer } from './optim.js';
import type { Parameter } from './parameter.js';
import { buildLoopModel, stackedName } from './onnx/loop.js';
import { buildOnnxModel, type OnnxGraphSpec } from './onnx/model.js';
import { backendTarget, CompiledGraph, type Feed, type RuntimeOptions } from './runtime.js';
import { parametersOf, type Tensor } from './tensor.js';
import type { FusedUpdate } from './wasm/fusedAdam.js';

/** The arrays end to end. */
function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** What to train. */
export interface TrainStepSpec {
  /** The scalar to minimise. */
  loss: Tensor;
  /** Extra values reported by each run (loss terms, KL per latent, ...). */
  metrics?: Record<string, Tensor>;
  /** Data and noise inputs fed at each run, in any order. */
  inputs: readonly Tensor<'input'>[];
  /** Parameters to update; default: every parameter the loss depends on. */
  params?: readonly Parameter[];
  optimizer: Optimizer;
  /** Clip the global gradient norm to this value (no clipping when omitted). */
  clipNorm?: number;
}

/** Options for compiling a step. */
export interface TrainStepOptions extends RuntimeOptions {
  /**
   * Steps per {@link TrainStep.runSteps} call (default 1): with S > 1 it takes S batches stacked along a new
   * leading axis. With the fused optimizer they run as S gradient runs, each followed by the update; with
   * `fusedOptimizer: false` as one ONNX Loop, parameters and optimizer state staying inside onnxruntime.
   */
  stepsPerRun?: number;
  /**
   * Run the optimizer's fused form after the graph where it has one and it can run here (default true).
   * False appends the update to the graph instead, and compiles the Loop for `stepsPerRun` > 1. The
   * parameters come out the same either way.
   */
  fusedOptimizer?: boolean;
}

/** The results of one training step: the loss and each metric, read back as plain numbers or arrays. */
export type StepResult = Record<string, Float32Array>;

export class TrainStep {
  /** Number of updates applied so far (Adam's t); see {@link TrainStep.step}. */
  private done = 0;
  /**
   * Output buffers for the next run, by output name (double buffering): onnxruntime writes the new
   * parameters and state into them, and the arrays they replace become the next run's buffers.
   */
  private readonly spare = new Map<string, Float32Array>();

  private constructor(
    /** The plain graph of one step. */
    private readonly single: CompiledGraph,
    /** The Loop graph of S steps (absent when S = 1). */
    private readonly looped: CompiledGraph | undefined,
    /** Steps per looped run (S); 1 when there is only the plain step graph. */
    readonly stepsPerRun: number,
    readonly params: readonly Parameter[],
    /** Optimizer state per parameter, keyed `${param.name}/${slot}`. */
    private readonly state: Map<string, Float32Array>,
    private readonly optimizer: Optimizer,
    private readonly reported: readonly string[],
    /** The optimizer's fused update when the step runs it after the graph (the graph then outputs gradients). */
    private readonly fused: FusedUpdate | null,
  ) {}

  /**
   * Differentiates the loss, appends the update and compiles the whole step: always as a plain
   * one-step graph and, when `stepsPerRun` S > 1, also as a Loop of S steps. Both graphs share the
   * parameters, the optimizer state and the step counter, so single and looped runs can be mixed.
   */
  static async create(spec: TrainStepSpec, opts: TrainStepOptions = {}): Promise<TrainStep> {
    const S = opts.stepsPerRun ?? 1;
    if (!Number.isInteger(S) || S < 1) throw new Error(`TrainStep: stepsPerRun must be a positive integer, got ${S}`);
    const metrics = spec.metrics ?? {};
    const params = spec.params ?? parametersOf([spec.loss]);
    const names = new Set(params.map((p) => p.name));
    if (names.size !== params.length) throw new Error('TrainStep: two parameters share a name');
    const leaves = params.map(param);
    let grads = grad(spec.loss, leaves);
    const outputs: Record<string, Tensor> = { loss: spec.loss, ...metrics };
    if (spec.clipNorm !== undefined) {
      const clipped = clipByGlobalNorm(grads, spec.clipNorm);
      grads = clipped.grads;
      outputs.gradNorm = clipped.norm;
    }
    const reported = ['loss', ...Object.keys(metrics), ...(spec.clipNorm !== undefined ? ['gradNorm'] : [])];
    const session = { threads: opts.threads, profile: opts.profile };
    const target = await backendTarget();

    const fused = opts.fusedOptimizer === false ? null : (spec.optimizer.fused?.(params.map((p) => p.size)) ?? null);
    if (fused) {
      // The graph ends at the gradients; parameters and slots move into the fused update's memory.
      const state = new Map<string, Float32Array>();
      params.forEach((p, i) => {
        outputs[`grad:${p.name}`] = grads[i];
        spec.optimizer.slots.forEach((slot, j) => state.set(`${p.name}/${slot}`, fused.slot(j, i)));
      });
      const graph = await CompiledGraph.create(
        buildOnnxModel({ inputs: [...spec.inputs], outputs, params: 'inputs', name: 'train_step_gradients' }, target),
        session,
      );
      return new TrainStep(graph, undefined, S, params, state, spec.optimizer, reported, fused);
    }

    const scalars = scalarInputs(spec.optimizer);
    const stateInputs: Tensor<'input'>[] = [];
    const state = new Map<string, Float32Array>();
    params.forEach((p, i) => {
      const slots = spec.optimizer.slots.map((slot) => {
        const key = `${p.name}/${slot}`;
        state.set(key, new Float32Array(p.size));
        const s = input(`state:${key}`, p.shape);
        stateInputs.push(s);
        return s;
      });
      const updated = spec.optimizer.update(leaves[i], grads[i], slots, scalars);
      outputs[`next:${p.name}`] = updated.param;
      updated.state.forEach((s, j) => (outputs[`next:state:${p.name}/${spec.optimizer.slots[j]}`] = s));
    });
    const perStep = [...spec.inputs, ...(Object.values(scalars) as Tensor<'input'>[])];
    const stepGraph: OnnxGraphSpec = { inputs: [...perStep, ...stateInputs], outputs, params: 'inputs', name: 'train_step' };
    const single = await CompiledGraph.create(buildOnnxModel(stepGraph, target), session);
    const looped =
      S === 1
        ? undefined
        : await CompiledGraph.create(
            buildLoopModel(
              stepGraph,
              {
                steps: S,
                perStep: perStep.map((t) => t.params.name),
                carried: [
                  ...params.map((p) => [p.name, `next:${p.name}`] as const),
                  ...[...state.keys()].map((k) => [`state:${k}`, `next:state:${k}`] as const),
                ],
              },
              target,
            ),
            session,
          );
    return new TrainStep(single, looped, S, params, state, spec.optimizer, reported, null);
  }

  /**
   * Runs one step on `feeds` (every data/noise input by name) with learning rate `lr`, updates the
   * parameters and optimizer state in place, and returns the loss and metrics of this step (computed
   * before the update). Works for any `stepsPerRun` (it runs the plain step graph).
   */
  async run(feeds: Record<string, Feed>, lr: number): Promise<StepResult> {
    return this.runSteps(feeds, [lr]);
  }

  /**
   * Runs `lrs.length` steps, which must be 1 (the plain graph; feeds as in {@link run}) or S =
   * `stepsPerRun` (the Loop graph; each feed holds S inputs stacked along a new leading axis). The
   * i-th step uses learning rate `lrs[i]` and Adam's t = `step` + 1 + i. Returns each metric
   * stacked the same way ([lrs.length, ...], flattened).
   */
  async runSteps(feeds: Record<string, Feed>, lrs: readonly number[]): Promise<StepResult> {
    const S = this.stepsPerRun;
    if (lrs.length !== 1 && lrs.length !== S)
      throw new Error(
        `TrainStep.runSteps: runs 1${S > 1 ? ` or ${S}` : ''} steps (one learning rate each), got ${lrs.length} learning rates`,
      );
    if (this.fused) return this.runFused(this.fused, feeds, lrs);
    const looped = lrs.length > 1;
    const graph = looped ? this.looped! : this.single;
    const perStep = (name: string): string => (looped ? stackedName(name) : name);
    const all: Record<string, Feed> = {};
    for (const [name, value] of Object.entries(feeds)) all[perStep(name)] = value;
    const scalars = lrs.map((lr, i) => this.optimizer.scalars(this.done + 1 + i, lr));
    for (const name of this.optimizer.scalarNames) all[perStep(`optim.${name}`)] = Float32Array.from(scalars, (s) => s[name]);
    // Carried values: each parameter and state array is fed, and its update written into a spare buffer.
    const carried = [
      ...this.params.map((p) => ({ input: p.name, value: p.value, set: (v: Float32Array) => (p.value = v) })),
      ...[...this.state].map(([key, value]) => ({ input: `state:${key}`, value, set: (v: Float32Array) => this.state.set(key, v) })),
    ];
    const into: Record<string, Float32Array> = {};
    for (const c of carried) {
      all[looped ? `init:${c.input}` : c.input] = c.value;
      const buffer = this.spare.get(c.input);
      into[`next:${c.input}`] =
        buffer && buffer.length === c.value.length && buffer !== c.value ? buffer : new Float32Array(c.value.length);
    }
    const out = await graph.run(all, undefined, into);
    for (const c of carried) {
      c.set(out[`next:${c.input}`] as Float32Array);
      this.spare.set(c.input, c.value);
    }
    this.done += lrs.length;
    return Object.fromEntries(this.reported.map((k) => [k, out[k] as Float32Array]));
  }

  /**
   * The fused way: per step, one run of the gradient graph on that step's slice of each stacked feed, with
   * the gradients written into the fused update's memory, then one pass of the update.
   */
  private async runFused(fused: FusedUpdate, feeds: Record<string, Feed>, lrs: readonly number[]): Promise<StepResult> {
    const count = lrs.length;
    const into: Record<string, Float32Array> = {};
    this.params.forEach((p, i) => {
      // A value set from outside (a restore, a reset) is copied in; from then on the update writes it in place.
      const view = fused.param(i);
      if (p.value !== view) {
        view.set(p.value);
        p.value = view;
      }
      into[`grad:${p.name}`] = fused.grad(i);
    });
    const stacked: Record<string, Float32Array[]> = Object.fromEntries(this.reported.map((k) => [k, []]));
    for (let i = 0; i < count; i++) {
      const all: Record<string, Feed> = {};
      for (const [name, value] of Object.entries(feeds)) {
        all[name] =
          typeof value === 'number' || count === 1 ? value : value.subarray((i * value.length) / count, ((i + 1) * value.length) / count);
      }
      for (const p of this.params) all[p.name] = p.value;
      const out = await this.single.run(all, undefined, into);
      fused.apply(this.optimizer.scalars(this.done + 1, lrs[i]));
      this.done++;
      for (const k of this.reported) stacked[k].push(out[k] as Float32Array);
    }
    return Object.fromEntries(this.reported.map((k) => [k, count === 1 ? stacked[k][0] : concatFloat32(stacked[k])]));
  }

  /** Number of updates applied so far (Adam's t); set by {@link restoreState} on resume. */
  get step(): number {
    return this.done;
  }

  /**
   * The optimizer state as a tensor group for a checkpoint: one tensor per parameter and slot, keyed
   * `${parameter name}/${slot}` (e.g. `encoder.0.weight/m`), shaped like its parameter. The arrays are
   * the live ones, not copies: write them out before the next run replaces them.
   */
  stateGroup(): TensorGroup {
    const shapes = new Map(this.params.map((p) => [p.name, p.shape]));
    const group: TensorGroup = {};
    for (const [key, data] of this.state) group[key] = { shape: shapes.get(key.slice(0, key.lastIndexOf('/')))!, data };
    return group;
  }

  /**
   * Resumes from a checkpoint: sets the number of updates already applied and the optimizer state from
   * `group` (as {@link stateGroup} wrote it; the values are copied), or keeps the current state when
   * `group` is null. Parameters are restored separately (`restoreParameters`). Throws a CheckpointError
   * naming `where` when a tensor is missing or mis-sized, and then changes nothing.
   */
  restoreState(group: TensorGroup | null, step: number, where = 'checkpoint'): void {
    if (!Number.isInteger(step) || step < 0) throw new CheckpointError(`${where}: step ${step} is not a count of updates`);
    if (group !== null) {
      for (const [key, data] of this.state) {
        const t = group[key];
        if (!t) throw new CheckpointError(`${where}: optimizer state '${key}' is missing`);
        if (t.data.length !== data.length)
          throw new CheckpointError(`${where}: optimizer state '${key}' has ${t.data.length} values, expected ${data.length}`);
      }
      for (const [key, data] of this.state) data.set(group[key].data);
    }
    this.done = step;
  }

  /** Writes onnxruntime's profiles (when compiled with `profile`). */
  endProfiling(): void {
    this.single.endProfiling();
    this.looped?.endProfiling();
  }
}
