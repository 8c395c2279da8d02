/**
 * How long loading MNIST train (60,000 x 28 x 28) takes, and that it is held as ONE Uint8Array.
 * Goal: under 2 s. Run with `npx tsx bench/data-mnist-load.ts`.
 */
import { loadMnistPart } from '../src/data/mnist.js';
import { loadFashionMnistPart } from '../src/data/fashion-mnist.js';

function time<T>(f: () => T): { value: T; ms: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const runs: number[] = [];
const cold = time(() => loadMnistPart('train'));
let last = cold.value;
for (let i = 0; i < 5; i++) {
  const r = time(() => loadMnistPart('train'));
  runs.push(r.ms);
  last = r.value;
}
const first = runs[0];
runs.sort((a, b) => a - b);
const oneBuffer = last.data instanceof Uint8Array && last.data.length === last.n * 784;
console.log(
  `mnist train: n=${last.n} shape=[${last.shape.join(',')}] data=${last.data.constructor.name}(${last.data.length}) oneUint8Array=${oneBuffer}`,
);
console.log(
  `mnist train load: median ${runs[2].toFixed(1)} ms, min ${runs[0].toFixed(1)} ms, first timed ${first.toFixed(1)} ms, cold (first in process) ${cold.ms.toFixed(1)} ms (goal < 2000 ms; ratio to goal ${(runs[2] / 2000).toFixed(3)})`,
);
try {
  const f = time(() => loadFashionMnistPart('train'));
  console.log(`fashion-mnist train load (gunzip): ${f.ms.toFixed(1)} ms, n=${f.value.n}`);
} catch (e) {
  console.log(`fashion-mnist: ${(e as Error).message}`);
}
