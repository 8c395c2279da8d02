/**
 * Where the PixelCNN training step of bench/pixelcnn-vaelab.ts spends its time: onnxruntime's profile of
 * STEPS steps, summed per op type (and the 15 costliest nodes), after 10 warm-up steps.
 *
 *   npx tsx bench/pixelcnn-profile.ts [THREADS] [STEPS]
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { input, mean, neg, reshape } from '../src/engine/index.js';
import { adam } from '../src/engine/optim.js';
import { TrainStep } from '../src/engine/trainStep.js';
import { Random } from '../src/engine/random.js';
import { PixelCnn } from '../src/nn/pixelCnn.js';
import { ParameterStore } from '../src/nn/store.js';
import { bernoulliLogProb } from '../src/distributions/bernoulli.js';

const threads = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 30);
const [B, D] = [32, 784];
const net = new PixelCnn(new ParameterStore(0), 'pixelcnn', 1, 1, { layers: 3, kernel: 5, channels: 16, condChannels: 0 });
const x = input('x', [B, D]);
const loss = neg(mean(bernoulliLogProb(x, reshape(net.apply(reshape(x, [B, 1, 28, 28])), [B, D]))));
const dir = mkdtempSync(join(tmpdir(), 'pixelcnn-profile-'));
const step = await TrainStep.create({ loss, inputs: [x], optimizer: adam() }, { threads, stepsPerRun: 1, profile: join(dir, 'step') });
const rng = new Random(0);
const xb = new Float32Array(B * D);
for (let i = 0; i < 10 + steps; i++) {
  for (let k = 0; k < B * D; k++) xb[k] = rng.uniform() < 0.13 ? 1 : 0;
  await step.runSteps({ x: xb }, [1e-3]);
}
step.endProfiling();
type Event = { cat: string; name: string; dur: number; args?: { op_name?: string } };
const file = readdirSync(dir).find((f) => f.endsWith('.json'))!;
const events = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Event[]).filter(
  (e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'),
);
const runs = 10 + steps;
const byType = new Map<string, number>();
const byNode = new Map<string, number>();
for (const e of events) {
  const op = e.args?.op_name ?? '?';
  byType.set(op, (byType.get(op) ?? 0) + e.dur);
  byNode.set(`${op} ${e.name.replace(/_kernel_time$/, '')}`, (byNode.get(`${op} ${e.name.replace(/_kernel_time$/, '')}`) ?? 0) + e.dur);
}
const total = [...byType.values()].reduce((a, b) => a + b, 0);
console.log(
  `threads=${threads}: kernels ${(total / runs / 1000).toFixed(2)} ms per step (profiled, ${runs} steps incl. warm-up), ${events.length / runs} kernel calls per step`,
);
for (const [op, us] of [...byType].sort((a, b) => b[1] - a[1]))
  console.log(`${op.padEnd(20)} ${(us / runs / 1000).toFixed(3).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %`);
console.log('costliest nodes:');
for (const [n, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${(us / runs / 1000).toFixed(3).padStart(8)} ms  ${n}`);
