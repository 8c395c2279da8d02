/**
 * Optimizers as graph rewrites: each turns (parameter, gradient, state) into the updated parameter
 * and state, as tensors appended to the training graph, so one ONNX run does forward, backward and
 * update. Values that change per step (learning rate, bias corrections) are fed as scalar inputs,
 * so a schedule never rebuilds the session.
 */
import { add, div, input, minimum, mul, sqrt, sub, sum } from './ops.js';
import { square } from './composite.js';
import type { Tensor } from './tensor.js';
import { fusedAdam, type FusedUpdateFactory } from './wasm/fusedAdam.js';

/** Per-step scalars an optimizer needs, computed in TypeScript from the step count and the schedule. */
export type StepScalars = Record<string, number>;

/** An optimizer: named state slots per parameter, a graph rewrite, and its per-step scalar feeds. */
export interface Optimizer {
  /** Names of the state tensors kept per parameter (same shape as the parameter), e.g. Adam's m and v. */
  readonly slots: readonly string[];
  /** Names of the scalar inputs {@link update} reads; {@link scalars} gives their values. */
  readonly scalarNames: readonly string[];
  /** The values of the scalar inputs at step `t` (1-based) with learning rate `lr`. */
  scalars(t: number, lr: number): StepScalars;
  /** Builds the update of one parameter. `scalars` holds one scalar input tensor per name. */
  update(p: Tensor, g: Tensor, state: readonly Tensor[], scalars: Record<string, Tensor>): { param: Tensor; state: Tensor[] };
  /**
   * The same update fused into one pass over flat buffers outside the graph (wasm/fusedAdam.ts), with the
   * same float32 operations in the same order as {@link update}; {@link TrainStep} uses it where it can.
   */
  readonly fused?: FusedUpdateFactory;
}

/** Options of {@link adam}. */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): p ← p − lr·λ·p. Default 0. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 *
 * Computed in ten elementwise passes instead of twelve (each pass over every parameter costs as much
 * as a small GEMM on onnxruntime's unfused kernels): the slots hold the rescaled moments
 * m̃ = m/(1−β₁) and ṽ = v/(1−β₂), whose updates m̃ ← β₁m̃ + g and ṽ ← β₂ṽ + g² need no (1−β) factor, and
 * p ← p − aₜ·m̃/(√ṽ + eₜ) with aₜ = lr·(1−β₁)√(1−β₂ᵗ) / ((1−β₁ᵗ)√(1−β₂)) and eₜ = ε·√(1−β₂ᵗ)/√(1−β₂),
 * fed per step; the result is the same number.
 *
 * Training steps run this update as one WebAssembly pass after the graph ({@link Optimizer.fused}) rather
 * than as the ten onnxruntime kernels of the rewrite: same bits (but for moments below 2⁻¹²⁶, set to 0), about a third less time on an MLP step.
 */
export function adam(opts: AdamOptions = {}): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = opts;
  return {
    slots: ['m', 'v'],
    fused: fusedAdam(beta1, beta2),
    scalarNames: weightDecay > 0 ? ['alpha', 'epsHat', 'decay'] : ['alpha', 'epsHat'],
    scalars(t, lr) {
      const c2 = Math.sqrt(1 - beta2 ** t) / Math.sqrt(1 - beta2);
      const s: StepScalars = { alpha: (lr * (1 - beta1) * c2) / (1 - beta1 ** t), epsHat: eps * c2 };
      if (weightDecay > 0) s.decay = 1 - lr * weightDecay;
      return s;
    },
    update(p, g, [m, v], s) {
      const m1 = add(mul(m, beta1), g);
      const v1 = add(mul(v, beta2), square(g));
      const decayed = weightDecay > 0 ? mul(p, s.decay) : p;
      const param = sub(decayed, mul(div(m1, add(sqrt(v1), s.epsHat)), s.alpha));
      return { param, state: [m1, v1] };
    },
  };
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Heavy-ball momentum μ (PyTorch convention: b ← μb + g, p ← p − lr·b). Default 0. */
  momentum?: number;
  /** Decoupled weight decay λ: p ← p − lr·λ·p. Default 0. */
  weightDecay?: number;
}

/** Stochastic gradient descent, optionally with momentum: b ← μb + g, p ← p − lr·b. */
export function sgd(opts: SgdOptions = {}): Optimizer {
  const { momentum = 0, weightDecay = 0 } = opts;
  return {
    slots: momentum > 0 ? ['momentum'] : [],
    scalarNames: weightDecay > 0 ? ['lr', 'decay'] : ['lr'],
    scalars(_t, lr): StepScalars {
      return weightDecay > 0 ? { lr, decay: 1 - lr * weightDecay } : { lr };
    },
    update(p, g, state, s) {
      const decayed = weightDecay > 0 ? mul(p, s.decay) : p;
      if (momentum === 0) return { param: sub(decayed, mul(g, s.lr)), state: [] };
      const b = add(mul(state[0], momentum), g);
      return { param: sub(decayed, mul(b, s.lr)), state: [b] };
    },
  };
}

/**
 * Global-norm clipping (Pascanu et al. 2013): every gradient is scaled by min(1, c / ‖g‖), where ‖g‖ is
 * the norm of all gradients together. Returns the scaled gradients and the norm before clipping.
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; norm: Tensor } {
  const norm = sqrt(grads.map((g) => sum(square(g))).reduce((a, b) => add(a, b)));
  const scale = minimum(div(maxNorm, add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => mul(g, scale)), norm };
}

/** The scalar input tensors an optimizer reads, one per name. */
export function scalarInputs(opt: Optimizer): Record<string, Tensor> {
  return Object.fromEntries(opt.scalarNames.map((n) => [n, input(`optim.${n}`, [])]));
}
