/**
 * The onnxruntime-web WebGPU {@link RuntimeBackend}: the same graphs on the GPU through onnxruntime's
 * WebGPU execution provider, for pages and Web Workers where `navigator.gpu` gives an adapter. Nodes the
 * WebGPU provider has no kernel for run on onnxruntime-web's CPU (wasm) kernels in the same session, so
 * every vaelab graph runs; the Lab uses it with `?backend=webgpu` and falls back to {@link webBackend}.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { ortWebBackend } from './ortWeb.js';
import type { RuntimeBackend } from './runtimeBackend.js';

const webgpu = ortWebBackend(ort, 'onnxruntime-web (webgpu)', ['webgpu']);

/** onnxruntime-web on the WebGPU execution provider (CPU kernels for the nodes it lacks). */
export const webgpuBackend: RuntimeBackend = webgpu.backend;

/** Sets this onnxruntime-web build's global options (its own `env`, separate from the wasm build's). */
export const configureWebGpuBackend = webgpu.configure;

/** Structural view of the little of the WebGPU API this file touches (the project has no DOM types). */
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<object | null> };
}

/**
 * Why WebGPU cannot be used here, or null when an adapter is available. Call before choosing
 * {@link webgpuBackend}: onnxruntime-web would otherwise fail only when the first session is created.
 */
export async function webGpuUnavailable(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: GpuNavigator }).navigator?.gpu;
  if (!gpu) return 'this browser exposes no navigator.gpu (WebGPU needs a recent Chromium-based browser and a secure context)';
  try {
    return (await gpu.requestAdapter()) ? null : 'navigator.gpu.requestAdapter() found no GPU adapter';
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}
