/**
 * The GEMM-only floor of bench/limits.ts: the matrix products of a workload, and nothing else, as one
 * onnxruntime graph of MatMuls (same shapes, operands fed in the layout each product needs, results
 * written into preallocated buffers). No real engine can do the work in less time on this machine.
 *
 *   npx tsx bench/floor-vaelab.ts step THREADS [RUNS]   MLP VAE step 784-512-512-32, B = 128 (17 GEMMs)
 *   npx tsx bench/floor-vaelab.ts nll THREADS [RUNS] [K] [N] [K_CHUNK] [NLL_BATCH]
 *                                                      IWAE-paper MLP 784-200-200-50: the encoder on N images,
 *                                                      the decoder on N·K latent samples in runs of K_CHUNK·NLL_BATCH rows
 *
 * Prints one JSON line {engine, threads, msPerStep | seconds, peakRssMiB} (medians over RUNS runs).
 */
import { input, matmul } from '../src/engine/ops.js';
import { compileGraph, type CompiledGraph } from '../src/engine/runtime.js';
import type { Tensor } from '../src/engine/tensor.js';

const [what = 'step', tArg = '1', runsArg = '200', kArg = '1000', nArg = '1000', chunkArg = '250', batchArg = '20'] = process.argv.slice(2);
const threads = Number(tArg);
const runs = Number(runsArg);

/** [m, k, n]: one product of an [m, k] by a [k, n] matrix. */
type Gemm = readonly [number, number, number];

/**
 * The products of one training step of an MLP with `widths` at batch `b`: the forward product of
 * each layer, its weight gradient Xᵀ·δ and, except for the first layer, its input gradient δ·Wᵀ.
 */
function stepGemms(b: number, nets: readonly (readonly number[])[]): Gemm[] {
  const out: Gemm[] = [];
  for (const widths of nets) {
    for (let l = 0; l + 1 < widths.length; l++) {
      const [i, o] = [widths[l], widths[l + 1]];
      out.push([b, i, o], [i, b, o]);
      if (l > 0 || nets.indexOf(widths) > 0) out.push([b, o, i]);
    }
  }
  return out;
}

/** The forward products of an MLP with `widths` on `rows` inputs. */
const forwardGemms = (rows: number, widths: readonly number[]): Gemm[] => widths.slice(1).map((o, l) => [rows, widths[l], o] as const);

/** One graph computing every product of `gemms`; feeds and preallocated outputs for it. */
async function gemmGraph(
  gemms: readonly Gemm[],
): Promise<{ graph: CompiledGraph; feeds: Record<string, Float32Array>; into: Record<string, Float32Array> }> {
  const outputs: Record<string, Tensor> = {};
  const inputs: Tensor<'input'>[] = [];
  const feeds: Record<string, Float32Array> = {};
  const into: Record<string, Float32Array> = {};
  gemms.forEach(([m, k, n], i) => {
    const a = input(`a${i}`, [m, k]);
    const b = input(`b${i}`, [k, n]);
    inputs.push(a, b);
    feeds[`a${i}`] = Float32Array.from({ length: m * k }, (_, j) => ((j % 13) - 6) / 7);
    feeds[`b${i}`] = Float32Array.from({ length: k * n }, (_, j) => ((j % 11) - 5) / 9);
    outputs[`c${i}`] = matmul(a, b);
    into[`c${i}`] = new Float32Array(m * n);
  });
  const graph = await compileGraph({ inputs, outputs, params: 'inputs', name: 'gemm_floor' }, { threads });
  return { graph, feeds, into };
}

/** Median time (ms) of `runs` runs of `g` after a few warm-up runs. */
async function medianMs(g: Awaited<ReturnType<typeof gemmGraph>>, count: number): Promise<number> {
  for (let i = 0; i < 5; i++) await g.graph.run(g.feeds, undefined, g.into);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await g.graph.run(g.feeds, undefined, g.into);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const rss = (): number => process.resourceUsage().maxRSS / 1024;
if (what === 'step') {
  const gemms = stepGemms(128, [
    [784, 512, 512, 64],
    [32, 512, 512, 784],
  ]);
  const ms = await medianMs(await gemmGraph(gemms), runs);
  console.log(
    JSON.stringify({ engine: `GEMM-only floor (onnxruntime MatMul, ${gemms.length} products)`, threads, msPerStep: ms, peakRssMiB: rss() }),
  );
} else if (what === 'nll') {
  const [k, n, kc, nb] = [Number(kArg), Number(nArg), Number(chunkArg), Number(batchArg)];
  const encoder = await gemmGraph(forwardGemms(nb, [784, 200, 200, 100]));
  const decoder = await gemmGraph(forwardGemms(kc * nb, [50, 200, 200, 784]));
  const batches = Math.ceil(n / nb);
  const encMs = await medianMs(encoder, Math.min(runs, 50));
  const decMs = await medianMs(decoder, Math.min(runs, 30));
  // Every batch runs the encoder once and the decoder ⌈K / K_CHUNK⌉ times (the evaluator's shapes).
  const seconds = (batches * (encMs + Math.ceil(k / kc) * decMs)) / 1000;
  console.log(
    JSON.stringify({
      engine: 'GEMM-only floor (onnxruntime MatMul)',
      threads,
      k,
      n,
      seconds,
      msPerStep: seconds * 1000,
      peakRssMiB: rss(),
    }),
  );
} else {
  throw new Error(`floor: unknown workload '${what}' (step | nll)`);
}
