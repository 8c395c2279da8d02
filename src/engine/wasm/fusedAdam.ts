/**
 * Adam's update outside the graph, as one WebAssembly SIMD pass over every parameter (adam.wat).
 *
 * onnxruntime runs the graph rewrite of optim.ts as ten separate elementwise kernels, each reading and
 * writing a parameter-sized tensor: on the MLP step of bench/limits.ts that was about a third of the step.
 * Here the parameters, their gradients and Adam's two slots live in one WebAssembly memory, the step graph
 * writes its gradients straight into it (preallocated outputs), and one call of the kernel reads each
 * number once and writes it once. The float32 operations are those of the graph rewrite, in its order, so
 * the parameters come out bit-identical (trainStep.test.ts compares both paths), except that moments below
 * 2⁻¹²⁶ are set to 0: subnormal numbers, which x86 computes about a hundred times slower, had slowed long
 * runs 5 to 8 times (adam.wat says where they come from).
 */
import type { StepScalars } from '../optim.js';
import { ADAM_WASM_BASE64 } from './adamModule.js';

/** A fused optimizer update over flat buffers, one region per role; see {@link FusedUpdateFactory}. */
export interface FusedUpdate {
  /** The value of parameter `i`, a view into the kernel's memory; the update writes it in place. */
  param(i: number): Float32Array;
  /** Where the step graph writes the gradient of parameter `i`. */
  grad(i: number): Float32Array;
  /** The optimizer state `slot` (index into the optimizer's slots) of parameter `i`. */
  slot(slot: number, i: number): Float32Array;
  /** Applies one update of every parameter with this step's scalars (see `Optimizer.scalars`). */
  apply(scalars: StepScalars): void;
}

/**
 * Builds a {@link FusedUpdate} for parameters of the given sizes, or returns null where it cannot run
 * (no WebAssembly SIMD, or more than {@link MAX_FUSED_BYTES} of buffers); the caller then keeps the
 * graph rewrite.
 */
export type FusedUpdateFactory = (sizes: readonly number[]) => FusedUpdate | null;

/** Largest WebAssembly memory the fused update allocates (of the 4 GiB a 32-bit memory can address). */
export const MAX_FUSED_BYTES = 2 ** 31;

const PAGE = 65536;
/** Each tensor starts on a 64-byte boundary (a cache line); the gaps hold zeros, which Adam keeps at 0. */
const ALIGN_FLOATS = 16;

/**
 * The part of the WebAssembly JavaScript API used here, typed locally: Node's types do not declare it and
 * the browser's (lib.dom) are not in the engine's compile.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
let compiled: object | null | undefined;

/** The kernel's module, compiled once; null where this JavaScript engine has no WebAssembly SIMD. */
function adamModule(): object | null {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(ADAM_WASM_BASE64), (c) => c.charCodeAt(0));
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

type AdamKernel = (p: number, g: number, m: number, v: number, n: number, b1: number, b2: number, a: number, e: number, d: number) => void;

/**
 * The fused form of `adam({ beta1, beta2 })` (optim.ts): regions params, grads, m̃, ṽ of one memory.
 * Reads the scalars `alpha`, `epsHat` and, with weight decay, `decay` (1 without: p·1 is p exactly).
 */
export function fusedAdam(beta1: number, beta2: number): FusedUpdateFactory {
  return (sizes) => {
    const module = adamModule();
    if (!module || !wasm) return null;
    const offsets: number[] = [];
    let floats = 0;
    for (const size of sizes) {
      offsets.push(floats);
      floats += Math.ceil(size / ALIGN_FLOATS) * ALIGN_FLOATS;
    }
    const bytes = 4 * floats * 4;
    if (bytes > MAX_FUSED_BYTES) return null;
    const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const kernel = new wasm.Instance(module, { env: { memory } }).exports.adam as AdamKernel;
    // Regions 0..3: parameters, gradients, m̃, ṽ; each `floats` long.
    const views = [0, 1, 2, 3].map((region) =>
      sizes.map((size, i) => new Float32Array(memory.buffer, 4 * (region * floats + offsets[i]), size)),
    );
    const at = (region: number): number => 4 * region * floats;
    return {
      param: (i) => views[0][i],
      grad: (i) => views[1][i],
      slot: (slot, i) => views[2 + slot][i],
      apply: (s) => kernel(at(0), at(1), at(2), at(3), floats, beta1, beta2, s.alpha, s.epsHat, s.decay ?? 1),
    };
  };
}
