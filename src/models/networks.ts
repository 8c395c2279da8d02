/**
 * The deterministic networks of encoders and decoders: maps [N, in] → [N, out] built from a config's
 * architecture ('mlp', 'gated' dense layers of the VampPrior paper, or 'conv' for images).
 */
import { reshape } from '../engine/ops.js';
import { ConfigError } from './config.js';
import { activation, type ActivationName } from '../nn/activation.js';
import { Conv2d, ConvTranspose2d } from '../nn/conv.js';
import { GatedDense } from '../nn/gated.js';
import { Linear } from '../nn/linear.js';
import { MLP } from '../nn/mlp.js';
import type { ParameterStore } from '../nn/store.js';
import { glorotUniform, heNormal, type Initializer } from '../nn/init.js';
import type { ARCHITECTURES, ModelConfig } from './config.js';
import {
  decoderNetworks,
  encoderNetworks,
  networkNames,
  partOptions,
  registerDecoderNetwork,
  registerEncoderNetwork,
  type Net,
  type NetworkFactory,
} from './parts.js';

export type { Net } from './parts.js';

/**
 * The weight initialiser a config names for dense layers: PyTorch's default (uniform ±1/√fan_in, biases
 * likewise), Glorot-uniform (Burda et al. 2016's code) or He-normal (Tomczak & Welling 2018's code), both
 * with zero biases.
 */
export function denseInit(config: Pick<ModelConfig, 'init'>): Initializer | undefined {
  const table: Record<ModelConfig['init'], Initializer | undefined> = { pytorch: undefined, glorot: glorotUniform(), he: heNormal };
  return table[config.init];
}

/** An MLP with widths [in, hidden..., out] and `act` between layers. */
export function mlpNet(store: ParameterStore, name: string, widths: readonly number[], act: ActivationName, init?: Initializer): Net {
  const mlp = new MLP(store, name, widths, act, init);
  return (x) => mlp.apply(x);
}

/** Gated dense hidden layers h = (xW+b) ⊙ σ(xV+c), then a linear output (Tomczak & Welling 2018). */
export function gatedNet(store: ParameterStore, name: string, widths: readonly number[], init?: Initializer): Net {
  const hidden = widths.slice(1, -1).map((w, i) => new GatedDense(store, `${name}.${i}`, widths[i], w, init));
  const last = widths.length - 2;
  const out = new Linear(store, `${name}.${last}`, widths[last], widths[last + 1], { init });
  return (x) => out.apply(hidden.reduce((h, l) => l.apply(h), x));
}

/** How many stride-2 halvings an image side allows (stop at odd sizes or below 4): 28 → 2, 64 → 4. */
export function halvings(side: number): number {
  let n = 0;
  while (side % 2 === 0 && side / 2 >= 4) {
    side /= 2;
    n++;
  }
  return n;
}

function convPlan(shape: readonly number[], channels: readonly number[]): { steps: number; chans: number[]; h: number; w: number } {
  const [, H, W] = shape;
  const steps = Math.min(halvings(H), halvings(W), channels.length);
  if (steps === 0) throw new ConfigError(`conv: image ${H}×${W} cannot be halved (needs even sides of at least 8)`);
  return { steps, chans: channels.slice(0, steps), h: H >> steps, w: W >> steps };
}

const KERNEL = { kernel: 4, stride: 2, padding: 1 };

/** x [N, C·H·W] → conv 4×4/2 per channel entry → flatten → dense `hidden` → [N, out] (Burgess et al. 2018 style). */
export function convEncoderNet(
  store: ParameterStore,
  name: string,
  shape: readonly number[],
  channels: readonly number[],
  hidden: readonly number[],
  out: number,
  act: ActivationName,
): Net {
  const { chans, h, w } = convPlan(shape, channels);
  const f = activation(act);
  const convs = chans.map((c, i) => new Conv2d(store, `${name}.conv${i}`, i === 0 ? shape[0] : chans[i - 1], c, KERNEL));
  const flat = chans[chans.length - 1] * h * w;
  const dense = new MLP(store, `${name}.fc`, [flat, ...hidden, out], act);
  return (x) => {
    const n = x.shape[0];
    const y = convs.reduce((t, c) => f(c.apply(t)), reshape(x, [n, ...shape]));
    return dense.apply(reshape(y, [n, flat]));
  };
}

/** z [N, in] → dense `hidden` → [N, c·h·w] → transposed conv 4×4/2 back to [N, P·C·H·W] (mirror of the encoder). */
export function convDecoderNet(
  store: ParameterStore,
  name: string,
  inSize: number,
  shape: readonly number[],
  channels: readonly number[],
  hidden: readonly number[],
  outputsPerPixel: number,
  act: ActivationName,
): Net {
  const { chans, h, w } = convPlan(shape, channels);
  const f = activation(act);
  const rev = [...chans].reverse();
  const flat = rev[0] * h * w;
  const dense = new MLP(store, `${name}.fc`, [inSize, ...hidden, flat], act);
  const outC = outputsPerPixel * shape[0];
  const deconvs = rev.map((c, i) => new ConvTranspose2d(store, `${name}.deconv${i}`, c, i === rev.length - 1 ? outC : rev[i + 1], KERNEL));
  return (z) => {
    const n = z.shape[0];
    let y = reshape(f(dense.apply(z)), [n, rev[0], h, w]);
    deconvs.forEach((d, i) => {
      y = d.apply(y);
      if (i < deconvs.length - 1) y = f(y);
    });
    return reshape(y, [n, outC * shape[1] * shape[2]]);
  };
}

const dataSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The built-in networks under the names of `config.architecture` ({@link ARCHITECTURES}): encoders, then decoders. */
const BUILTIN_ENCODERS: Record<(typeof ARCHITECTURES)[number], NetworkFactory> = {
  conv: (c) => convEncoderNet(c.store, c.name, c.config.dataShape, c.config.channels, c.hidden, c.outSize, c.config.activation),
  gated: (c) => gatedNet(c.store, c.name, [c.inSize, ...c.hidden, c.outSize], denseInit(c.config)),
  mlp: (c) => mlpNet(c.store, c.name, [c.inSize, ...c.hidden, c.outSize], c.config.activation, denseInit(c.config)),
};
const BUILTIN_DECODERS: Record<(typeof ARCHITECTURES)[number], NetworkFactory> = {
  conv: (c) =>
    convDecoderNet(c.store, c.name, c.inSize, c.config.dataShape, c.config.channels, c.hidden, c.outputsPerPixel, c.config.activation),
  gated: (c) => gatedNet(c.store, c.name, [c.inSize, ...c.hidden, c.outSize], denseInit(c.config)),
  mlp: (c) => mlpNet(c.store, c.name, [c.inSize, ...c.hidden, c.outSize], c.config.activation, denseInit(c.config)),
};
for (const [name, factory] of Object.entries(BUILTIN_ENCODERS)) registerEncoderNetwork(name, factory);
for (const [name, factory] of Object.entries(BUILTIN_DECODERS)) registerDecoderNetwork(name, factory);

/** The encoder network x [N, D] → [N, out] that a config names (`encoderNetwork`, else `architecture`). */
export function encoderNet(config: ModelConfig, store: ParameterStore, name: string, out: number, hidden = config.hidden): Net {
  const ctx = {
    config,
    store,
    name,
    options: partOptions(config, 'encoderNetwork'),
    inSize: dataSize(config.dataShape),
    outSize: out,
    outputsPerPixel: 1,
    hidden,
  };
  return encoderNetworks.get(networkNames(config).encoder)(ctx);
}

/** The decoder network z [N, d] → [N, P·D] that a config names (hidden widths mirrored unless `decoderHidden` is set). */
export function decoderNet(config: ModelConfig, store: ParameterStore, name: string, inSize: number, outputsPerPixel: number): Net {
  const hidden = config.decoderHidden ?? [...config.hidden].reverse();
  const outSize = outputsPerPixel * dataSize(config.dataShape);
  const ctx = { config, store, name, options: partOptions(config, 'decoderNetwork'), inSize, outSize, outputsPerPixel, hidden };
  return decoderNetworks.get(networkNames(config).decoder)(ctx);
}

/** The parameter name of the output bias of the decoder network `decoder` ('mlp' and 'gated' architectures). */
export function outputBiasName(config: ModelConfig, decoder: string): string {
  if (config.architecture === 'conv') throw new Error(`outputBiasName: the conv decoder has no single output bias`);
  return `${decoder}.${config.hidden.length}.bias`;
}
