import { describe, expect, it } from 'vitest';
import { toBatch } from '../data/batches.js';
import { range } from '../data/dataset.js';
import { input } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import { createModel } from '../models/registry.js';
import type { VAE } from '../models/vae.js';
import { initialiseFromData } from './dataInit.js';
import { mergeConfigs, resolveRunConfig } from './experiment.js';
import { PRESETS } from './presets.js';

const resolved = (name: keyof typeof PRESETS, trainN = 100) =>
  resolveRunConfig(mergeConfigs(PRESETS[name], { train: { trainN, validation: 0 } }));

describe('presets match their papers', () => {
  it("iwae-mnist: Glorot-uniform weights, zero hidden biases, output bias = logit of each pixel's training mean (Burda et al.'s code)", () => {
    const { config, data } = resolved('iwae-mnist');
    const model = createModel(config.model, { seed: 1 });
    initialiseFromData(model, config.model, data.train, data.preprocess);
    const w = model.store.get('encoder.0.weight').value; // [784, 200]
    const glorot = Math.sqrt(6 / (784 + 200));
    const maxAbs = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(maxAbs).toBeLessThanOrEqual(glorot);
    expect(maxAbs).toBeGreaterThan(1.5 / Math.sqrt(784)); // wider than PyTorch's ±1/√fan_in
    expect([...model.store.get('encoder.0.bias').value].every((v) => v === 0)).toBe(true);
    // By hand: the mean grey level of each pixel over the 100 training images, clipped to [0.001, 0.999].
    const x = toBatch(data.train, range(0, data.train.n), { preprocess: 'grey' });
    const bias = model.store.get('decoder.2.bias').value;
    for (const i of [0, 300, 406, 783]) {
      let m = 0;
      for (let r = 0; r < data.train.n; r++) m += x[r * 784 + i];
      const p = Math.min(Math.max(m / data.train.n, 1e-3), 1 - 1e-3);
      expect(bias[i]).toBeCloseTo(Math.log(p / (1 - p)), 5);
    }
  });

  it('iwae2-mnist: 784-200-200 → 100 stochastic, 100-100 → 50 stochastic, tanh, two-layer IWAE', () => {
    const { config, data } = resolved('iwae2-mnist');
    expect(config.model).toMatchObject({
      kind: 'hvae',
      hidden: [200, 200],
      latent1: 100,
      hidden2: [100, 100],
      latent: 50,
      activation: 'tanh',
      init: 'glorot',
    });
    expect(config.objective).toMatchObject({ kind: 'iwae', k: 5 });
    const model = createModel(config.model);
    initialiseFromData(model, config.model, data.train, data.preprocess);
    expect(model.store.get('decoder1.2.bias').value[0]).toBeCloseTo(Math.log(1e-3 / (1 - 1e-3)), 5); // a corner pixel: always 0
    const shapes = Object.fromEntries(model.store.all().map((p) => [p.name, p.shape]));
    expect(shapes).toMatchObject({
      'encoder1.0.weight': [784, 200],
      'encoder1.2.weight': [200, 200],
      'encoder2.0.weight': [100, 100],
      'encoder2.2.weight': [100, 100],
      'decoder2.2.weight': [100, 200],
      'decoder1.2.weight': [200, 784],
    });
  });

  it('vampprior-mnist: encoder log σ² in [−6, 2], pseudo-inputs in [0, 1], He initialisation', () => {
    const { config } = resolved('vampprior-mnist', 50);
    const model = createModel({ ...config.model, components: 3 }, { seed: 2 }) as VAE;
    const w = model.store.get('encoder.0.h.weight').value; // [784, 300], He-normal: std √(2/784)
    const sd = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(sd).toBeCloseTo(Math.sqrt(2 / 784), 2);
    for (const p of model.store.all()) if (p.name.startsWith('encoder')) p.value = p.value.map((v) => v * 50);
    const [lv] = interpret([model.encoder(input('x', [2, 784])).logVar], { x: new Float64Array(1568).map((_, i) => (i % 7) / 6) });
    expect(Math.min(...lv)).toBeGreaterThanOrEqual(-6);
    expect(Math.max(...lv)).toBeLessThanOrEqual(2);
    expect(lv.some((v) => v === -6 || v === 2)).toBe(true); // the clamp is active at these weights
    // Pseudo-inputs outside [0, 1] act as their clamp: the same log p as with u clamped by hand.
    const u = model.store.get('prior.pseudoInputs');
    u.value = u.value.map((_, i) => (i % 3) - 0.8); // −0.8, 0.2, 1.2, ...
    const z = input('z', [2, 40]);
    const zv = new Float64Array(80).map((_, i) => Math.sin(i));
    const [a] = interpret([model.prior.logProb(z)], { z: zv });
    const free = createModel({ ...config.model, components: 3, pseudoInputs: 'free' }, { seed: 2 }) as VAE;
    for (const p of free.store.all()) p.value = Float32Array.from(model.store.get(p.name).value);
    free.store.get('prior.pseudoInputs').value = u.value.map((v) => Math.min(Math.max(v, 0), 1));
    const [b] = interpret([free.prior.logProb(z)], { z: zv });
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 8));
  });
});
