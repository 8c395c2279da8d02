import { describe, expect, it } from 'vitest';
import { add, conv2d, input, reshape, sum } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import { interpret } from '../engine/reference.js';
import type { Tensor } from '../engine/tensor.js';
import { checkGradient, type LeafValues } from '../engine/testing/finiteDifference.js';
import { param } from '../engine/ops.js';
import { GatedPixelCnnBlock, PaddedConv2d, gatedReceptiveField } from './gatedPixelCnn.js';
import { MaskedConv2d, pixelCnnMask } from './maskedConv.js';
import { PixelCnn } from './pixelCnn.js';
import { ParameterStore } from './store.js';

const H = 7;
const W = 7;

/** Pixels (as raster indices) whose input change moves output pixel `out` (any channel), by perturbing each input pixel. */
function dependence(f: (x: Tensor) => Tensor, channels: number, outChannels: number): Set<number>[] {
  const x = input('x', [1, channels, H, W]);
  const y = f(x);
  const rng = new Random(3);
  const base = rng.fillUniform(new Float64Array(channels * H * W));
  const [y0] = interpret([y], { x: base });
  const deps = Array.from({ length: H * W }, () => new Set<number>());
  for (let p = 0; p < H * W; p++) {
    const moved = Float64Array.from(base);
    for (let c = 0; c < channels; c++) moved[c * H * W + p] += 0.5;
    const [y1] = interpret([y], { x: moved });
    for (let o = 0; o < H * W; o++) {
      for (let c = 0; c < outChannels; c++) if (Math.abs(y1[c * H * W + o] - y0[c * H * W + o]) > 1e-12) deps[o].add(p);
    }
  }
  return deps;
}

/** Every param of `store` as a gradient-check leaf, with float64 copies of its values. */
function paramLeaves(store: ParameterStore, scale = 1): LeafValues {
  const leaves: LeafValues = new Map();
  for (const p of store.all())
    leaves.set(
      param(p),
      Float64Array.from(p.value, (v) => v * scale),
    );
  return leaves;
}

describe('PixelCNN masks', () => {
  it('type A hides the centre, type B shows it; nothing after the centre is visible', () => {
    expect(Array.from(pixelCnnMask(3, 'A'))).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(pixelCnnMask(3, 'B'))).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(() => pixelCnnMask(4, 'A')).toThrow(/odd/);
  });

  it('a type-A masked convolution: output pixel i reads exactly the k×k window pixels before i', () => {
    const conv = new MaskedConv2d(new ParameterStore(1), 'm', 2, 3, 3, 'A');
    const deps = dependence((x) => conv.apply(x), 2, 3);
    for (let o = 0; o < H * W; o++) {
      const [i, j] = [Math.floor(o / W), o % W];
      const expected = [...Array(H * W).keys()].filter((p) => {
        const [r, c] = [Math.floor(p / W), p % W];
        return p < o && Math.abs(r - i) <= 1 && Math.abs(c - j) <= 1;
      });
      expect([...deps[o]].sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('a type-B masked convolution also reads pixel i itself, never a later one', () => {
    const conv = new MaskedConv2d(new ParameterStore(2), 'm', 1, 2, 5, 'B');
    const deps = dependence((x) => conv.apply(x), 1, 2);
    deps.forEach((d, o) => {
      expect(d.has(o)).toBe(true);
      expect([...d].every((p) => p <= o)).toBe(true);
    });
  });
});

describe('gated PixelCNN', () => {
  it.each([
    [1, 3],
    [2, 3],
    [1, 5],
  ])('%i block(s) of kernel %i: output i depends on exactly the window before i (autoregressive, no blind spot)', (layers, kernel) => {
    const net = new PixelCnn(new ParameterStore(7), 'p', 2, 2, { layers, kernel, channels: 3, condChannels: 0 });
    // The stacks' output: the head is per pixel (1×1) and only its ReLU dead zones could hide a dependence.
    const deps = dependence((x) => net.features(x), 2, 3);
    const direct = dependence((x) => net.apply(x), 2, 2);
    direct.forEach((d, o) => expect([...d].every((p) => deps[o].has(p))).toBe(true));
    const { up, left, side } = gatedReceptiveField(layers, kernel);
    for (let o = 0; o < H * W; o++) {
      const [i, j] = [Math.floor(o / W), o % W];
      const expected = [...Array(H * W).keys()].filter((p) => {
        const [r, c] = [Math.floor(p / W), p % W];
        return (r < i && r >= i - up && Math.abs(c - j) <= side) || (r === i && c < j && c >= j - left);
      });
      expect([...deps[o]].sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('with enough blocks every earlier pixel is seen (full receptive field on 7×7)', () => {
    const net = new PixelCnn(new ParameterStore(8), 'p', 1, 1, { layers: 6, kernel: 3, channels: 2, condChannels: 0 });
    const deps = dependence((x) => net.features(x), 1, 2);
    deps.forEach((d, o) => expect(d.size).toBe(o));
  });

  it('the conditioning map reaches every output pixel', () => {
    const net = new PixelCnn(new ParameterStore(9), 'p', 1, 1, { layers: 1, kernel: 3, channels: 2, condChannels: 2 });
    const x = input('x', [1, 1, H, W]);
    const h = input('h', [1, 2, H, W]);
    const y = net.features(x, h);
    const feeds = { x: new Random(1).fillUniform(new Float64Array(H * W)), h: new Float64Array(2 * H * W) };
    const [a] = interpret([y], feeds);
    const [b] = interpret([y], { ...feeds, h: new Float64Array(2 * H * W).fill(1) });
    for (let o = 0; o < H * W; o++) expect(Math.abs(a[o] - b[o]) + Math.abs(a[o + H * W] - b[o + H * W])).toBeGreaterThan(1e-9);
  });

  it('masked convolution: gradients match finite differences (input and parameters)', () => {
    const store = new ParameterStore(4);
    const conv = new MaskedConv2d(store, 'm', 2, 2, 3, 'A');
    const x = input('x', [2, 2, 4, 4]);
    const leaves = paramLeaves(store);
    leaves.set(x, new Random(5).fillNormal(new Float64Array(64)));
    const r = checkGradient(conv.apply(x), leaves, { rtol: 1e-5, atol: 1e-6 });
    expect(r.ok, r.message).toBe(true);
  });

  it('one-row kernels run as a matmul over their taps: the same function as conv2d', () => {
    const store = new ParameterStore(9);
    const x = input('x', [2, 3, 5, 6]);
    const xv = new Random(2).fillNormal(new Float64Array(2 * 3 * 5 * 6));
    for (const [kernel, padding] of [
      [
        [1, 3],
        [0, 2, 0, 0],
      ],
      [
        [1, 1],
        [0, 0, 0, 0],
      ],
      [
        [1, 2],
        [1, 1, 0, 0],
      ],
    ] as const) {
      const layer = new PaddedConv2d(store, `c${kernel[1]}`, 3, 4, [...kernel], [...padding]);
      const direct = add(conv2d(x, param(layer.weight), { padding: [...padding] }), reshape(param(layer.bias), [4, 1, 1]));
      const [a, b] = interpret([layer.apply(x), direct], { x: xv });
      expect(layer.apply(x).shape).toEqual(direct.shape);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));
    }
  });

  it('gated block (first and later, conditioned): gradients match finite differences', () => {
    const store = new ParameterStore(6);
    const first = new GatedPixelCnnBlock(store, 'b0', 1, 2, { kernel: 3, first: true, condChannels: 1 });
    const second = new GatedPixelCnnBlock(store, 'b1', 2, 2, { kernel: 3, first: false, condChannels: 1 });
    const x = input('x', [1, 1, 4, 4]);
    const h = input('h', [1, 1, 4, 4]);
    const s = second.apply(first.apply({ vertical: x, horizontal: x }, h), h);
    const leaves = paramLeaves(store, 2); // larger weights so the gates leave their linear range
    const rng = new Random(8);
    leaves.set(x, rng.fillNormal(new Float64Array(16)));
    leaves.set(h, rng.fillNormal(new Float64Array(16)));
    const r = checkGradient(sum(s.horizontal, [1]), leaves, { rtol: 1e-5, atol: 1e-6 });
    expect(r.ok, r.message).toBe(true);
    const rv = checkGradient(s.vertical, leaves, { rtol: 1e-5, atol: 1e-6 });
    expect(rv.ok, rv.message).toBe(true);
  });
});
