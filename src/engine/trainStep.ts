/**
 * A training step as one ONNX graph: forward pass, reverse-mode gradients, optional global-norm
 * clipping and the optimizer update. Parameters and optimizer state live in TypeScript between runs
 * and round-trip through each run; the learning rate and other per-step scalars are fed, so a
 * schedule never rebuilds the session.
 */
import { CheckpointError, type TensorGroup } from './safetensors.js';
import { grad } from './grad.js';
import { input, param } from './ops.js';
import { clipByGlobalNorm, scalarInputs, type Optimizer } from './optim.js';
import type { Parameter } from './parameter.js';
import { buildLoopModel, stackedName } from './onnx/loop.js';
import { buildOnnxModel, type OnnxGraphSpec } from './onnx/model.js';
import { CompiledGraph, type Feed, type RuntimeOptions } from './runtime.js';
import { parametersOf, type Tensor } from './tensor.js';

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
   * Training steps fused into one run with an ONNX Loop (default 1). With S > 1, {@link TrainStep.runSteps}
   * takes S batches stacked along a new leading axis; parameters and optimizer state stay inside
   * onnxruntime between those steps, which saves copying them out and in after every step.
   */
  stepsPerRun?: number;
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
    const session = { threads: opts.threads, profile: opts.profile };
    const single = await CompiledGraph.create(buildOnnxModel(stepGraph), session);
    const looped =
      S === 1
        ? undefined
        : await CompiledGraph.create(
            buildLoopModel(stepGraph, {
              steps: S,
              perStep: perStep.map((t) => t.params.name),
              carried: [
                ...params.map((p) => [p.name, `next:${p.name}`] as const),
                ...[...state.keys()].map((k) => [`state:${k}`, `next:state:${k}`] as const),
              ],
            }),
            session,
          );
    const reported = ['loss', ...Object.keys(metrics), ...(spec.clipNorm !== undefined ? ['gradNorm'] : [])];
    return new TrainStep(single, looped, S, params, state, spec.optimizer, reported);
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
    const looped = lrs.length > 1;
    const graph = lrs.length === 1 ? this.single : lrs.length === S ? this.looped : undefined;
    if (!graph)
      throw new Error(
        `TrainStep.runSteps: runs 1${S > 1 ? ` or ${S}` : ''} steps (one learning rate each), got ${lrs.length} learning rates`,
      );
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
      for (const key of this.state.keys()) this.state.set(key, Float32Array.from(group[key].data));
    }
    this.done = step;
  }

  /** Writes onnxruntime's profiles (when compiled with `profile`). */
  endProfiling(): void {
    this.single.endProfiling();
    this.looped?.endProfiling();
  }
}
