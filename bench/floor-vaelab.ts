/**
 * The GEMM-only floor of bench/limits.ts: the matrix products of a workload, and nothing else, as one
 * onnxruntime graph of MatMuls (same shapes, operands fed in the layout each product needs, results
 * written into preallocated buffers). No real engine can do the work in less time on this machine.
 *
 *   npx tsx bench/floor-vaelab.ts step THREADS [RUNS]   MLP VAE step 784-512-512-32, B = 128 (17 GEMMs)
 *   npx tsx bench/floor-vaelab.ts conv THREADS [RUNS]   conv β-VAE step of bench/conv.ts (beta-vae-dsprites, B = 64)
 *   npx tsx bench/floor-vaelab.ts pixelcnn THREADS [RUNS]
 *                                                      gated PixelCNN step of bench/pixelcnn.ts (3 blocks, k = 5, 16 channels, B = 32)
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

/**
 * The products of one training step of a layer that is one [rows, a]·[a, b] product: forward, weight
 * gradient [a, rows]·[rows, b] and, when its input needs a gradient, [rows, b]·[b, a]. A convolution
 * written as im2col is one (rows = N·H'·W' output pixels, a = Cin·taps, b = Cout); a transposed one as
 * col2im is one too (rows = N·H·W input pixels, a = Cin, b = Cout·taps). The im2col / col2im copies
 * themselves are left out: the floor is the arithmetic.
 */
const layerGemms = (rows: number, a: number, b: number, inputGrad: boolean): Gemm[] =>
  inputGrad
    ? [
        [rows, a, b],
        [a, rows, b],
        [rows, b, a],
      ]
    : [
        [rows, a, b],
        [a, rows, b],
      ];

/**
 * The conv β-VAE step of bench/conv.ts: 4×4 stride-2 convolutions 1-32-32-64-64 on 64×64, dense
 * 1024-256-256-20, and the mirror image (dense 10-256-256-1024, transposed convolutions 64-64-32-32-1).
 * Every layer but the first convolution passes a gradient to its input (the decoder's through z).
 */
function convStepGemms(): Gemm[] {
  const n = 64;
  const encoder = [
    [1, 32, 32],
    [32, 32, 16],
    [32, 64, 8],
    [64, 64, 4],
  ] as const; // [Cin, Cout, output side]
  const decoder = [
    [64, 64, 4],
    [64, 32, 8],
    [32, 32, 16],
    [32, 1, 32],
  ] as const; // [Cin, Cout, input side]
  return [
    ...encoder.flatMap(([c, o, s], l) => layerGemms(n * s * s, c * 16, o, l > 0)),
    ...[
      [1024, 256],
      [256, 256],
      [256, 20],
      [10, 256],
      [256, 256],
      [256, 1024],
    ].flatMap(([a, b]) => layerGemms(n, a, b, true)),
    ...decoder.flatMap(([c, o, s]) => layerGemms(n * s * s, c, o * 16, true)),
  ];
}

/** The gated PixelCNN step of bench/pixelcnn.ts on 28×28: per block a 3×5 vertical and a 1×3 horizontal convolution to 2C, 1×1 links. */
function pixelCnnStepGemms(): Gemm[] {
  const rows = 32 * 28 * 28;
  const C = 16;
  const blocks = [0, 1, 2].flatMap((l) => {
    const cin = l === 0 ? 1 : C;
    return [
      ...layerGemms(rows, cin * 15, 2 * C, l > 0), // vertical 3×5
      ...layerGemms(rows, cin * 3, 2 * C, l > 0), // horizontal 1×3
      ...layerGemms(rows, 2 * C, 2 * C, true), // vertical → horizontal link
      ...layerGemms(rows, C, C, true), // horizontal output
    ];
  });
  return [...blocks, ...layerGemms(rows, C, C, true), ...layerGemms(rows, C, 1, true)]; // the 1×1 head and output
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
} else if (what === 'conv' || what === 'pixelcnn') {
  const gemms = what === 'conv' ? convStepGemms() : pixelCnnStepGemms();
  const gflop = gemms.reduce((f, [m, k, n]) => f + (2 * m * k * n) / 1e9, 0);
  const ms = await medianMs(await gemmGraph(gemms), runs);
  console.log(
    JSON.stringify({
      engine: `GEMM-only floor (onnxruntime MatMul, ${gemms.length} products, ${gflop.toFixed(2)} GFLOP)`,
      threads,
      msPerStep: ms,
      gflopPerSecond: gflop / (ms / 1000),
      peakRssMiB: rss(),
    }),
  );
} else {
  throw new Error(`floor: unknown workload '${what}' (step | nll | conv | pixelcnn)`);
}
