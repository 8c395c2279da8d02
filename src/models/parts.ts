/**
 * The replaceable parts of a model (DESIGN.md, layer 3: "pluggable parts, a registry user code can
 * extend"): encoder network, decoder network, likelihood p(x|z), prior p(z) and posterior flow. Each
 * part is an interface; the built-ins register themselves under the names a config uses
 * (`decoder: 'bernoulli'`, `prior: 'vampprior'`, `architecture: 'conv'`, flow `'iaf'`), and user code adds
 * its own with {@link registerLikelihood} and friends, or passes instances to a model's constructor
 * (see {@link ModelParts}).
 *
 * A run records the registered names (and `partOptions`) in its config.json, so that a later process
 * can rebuild the model once the module that registers them is imported (a run's `plugins`).
 */
import type { Tensor } from '../engine/tensor.js';
import type { DiagonalGaussian } from '../distributions/normal.js';
import type { ParameterStore } from '../nn/store.js';
import { ConfigError, type ModelConfig } from './config.js';
import type { Likelihood } from './likelihood.js';
import type { Prior } from './priors.js';
import type { NoiseSpec } from './types.js';

/** A deterministic network [N, in] → [N, out]. */
export type Net = (x: Tensor) => Tensor;

/** What every part factory receives. */
export interface PartContext {
  /** The model's validated config. */
  readonly config: ModelConfig;
  /** Where the part creates its parameters (names prefixed by {@link name}). */
  readonly store: ParameterStore;
  /** The parameter-name prefix of this part ('decoder', 'prior', 'encoder1', ...). */
  readonly name: string;
  /** The options the config gives this role (`config.partOptions[role]`), `{}` when none. */
  readonly options: Record<string, unknown>;
}

/** Builds p(x|z) for a model; the decoder network then emits `outputsPerPixel` numbers per pixel. */
export type LikelihoodFactory = (ctx: PartContext) => Likelihood;

/** What a prior factory receives besides the {@link PartContext}. */
export interface PriorContext extends PartContext {
  /** Latent size d of the prior. */
  readonly latent: number;
  /** Flattened data size D (the VampPrior's pseudo-inputs live in data space). */
  readonly dataSize: number;
  /** The model's q(z|·) at data-space points, reading `componentNoise` if the model declares any. */
  readonly encode: (u: Tensor, noise: Record<string, Tensor>) => DiagonalGaussian;
  /** Noise `encode` reads (hierarchical models). */
  readonly componentNoise: NoiseSpec[];
}

/** Builds p(z). */
export type PriorFactory = (ctx: PriorContext) => Prior;

/** What a network factory receives besides the {@link PartContext}. */
export interface NetworkContext extends PartContext {
  /** Input width (D for an encoder, the latent size for a decoder). */
  readonly inSize: number;
  /** Output width (encoder: the sizes of q's parameters; decoder: outputsPerPixel · D). */
  readonly outSize: number;
  /** Numbers per pixel of a decoder's output (1 for encoders). */
  readonly outputsPerPixel: number;
  /** Hidden widths, input side first. */
  readonly hidden: readonly number[];
}

/** Builds an encoder or decoder network. */
export type NetworkFactory = (ctx: NetworkContext) => Net;

/**
 * A normalising flow on q(z|x) samples (the IAF of Kingma et al. 2016 is the built-in): z_T = f(z_0; h),
 * log q(z_T|x) = log q(z_0|x) − log|det ∂f/∂z_0|.
 */
export interface PosteriorFlow {
  /** z_T and log|det| (summed, [..]; and per variable of z_T, [.., d]) for z_0 [.., d] and context h [B, c]. */
  forward(z0: Tensor, context?: Tensor): { z: Tensor; logDet: Tensor; logDetPerVariable: Tensor };
  /** Reorders a per-variable quantity of z_0 [.., d] to the order of z_T's variables. */
  align(perVariable: Tensor): Tensor;
}

/** What a flow factory receives besides the {@link PartContext}. */
export interface FlowContext extends PartContext {
  readonly latent: number;
  /** Size c of the context h the encoder emits (0: none). */
  readonly contextSize: number;
}

/** Builds a posterior flow. */
export type FlowFactory = (ctx: FlowContext) => PosteriorFlow;

/** A named table of factories of one kind of part. */
export class PartRegistry<F> {
  private readonly table = new Map<string, F>();

  /** @param part what the registry holds, for messages ('likelihood'); @param field the config field naming it. */
  constructor(
    readonly part: string,
    readonly field: string,
  ) {}

  /** Adds `factory` under `name`; a taken name is refused unless `replace` is set. */
  register(name: string, factory: F, opts: { replace?: boolean } = {}): void {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
      throw new ConfigError(`register ${this.part}: expected a name of letters, digits, '.', '_' or '-', got '${name}'`);
    if (this.table.has(name) && !opts.replace)
      throw new ConfigError(`register ${this.part}: '${name}' is already registered (pass { replace: true } to replace it)`);
    this.table.set(name, factory);
  }

  /** True when `name` is registered. */
  has(name: string): boolean {
    return this.table.has(name);
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.table.keys()];
  }

  /** The factory registered under `name`; a {@link ConfigError} naming the config field and the known names otherwise. */
  get(name: string): F {
    const f = this.table.get(name);
    if (!f) {
      const fn = `register${this.part.replace(/(^| )(\w)/g, (_, _s: string, c: string) => c.toUpperCase())}`;
      throw new ConfigError(
        `invalid model config: ${this.field}: unknown ${this.part} '${name}' (registered: ${this.names().join(', ')}), ` +
          `register it with ${fn}() first or load the module that does (vaelab train --plugin FILE, recorded in a run's config.json as "plugins")`,
      );
    }
    return f;
  }
}

/** Likelihoods by the name `config.decoder` gives. */
export const likelihoods = new PartRegistry<LikelihoodFactory>('likelihood', 'decoder');
/** Priors by the name `config.prior` gives. */
export const priors = new PartRegistry<PriorFactory>('prior', 'prior');
/** Encoder networks by `config.encoderNetwork`, else `config.architecture`. */
export const encoderNetworks = new PartRegistry<NetworkFactory>('encoder network', 'encoderNetwork');
/** Decoder networks by `config.decoderNetwork`, else `config.architecture`. */
export const decoderNetworks = new PartRegistry<NetworkFactory>('decoder network', 'decoderNetwork');
/** Posterior flows by `config.flow` (default 'iaf'), used when `config.flowSteps` > 0. */
export const flows = new PartRegistry<FlowFactory>('flow', 'flow');

/** Makes `decoder: name` in a model config build p(x|z) with `factory`. */
export const registerLikelihood = (name: string, factory: LikelihoodFactory, opts?: { replace?: boolean }): void =>
  likelihoods.register(name, factory, opts);
/** Makes `prior: name` build p(z) with `factory`. */
export const registerPrior = (name: string, factory: PriorFactory, opts?: { replace?: boolean }): void =>
  priors.register(name, factory, opts);
/** Makes `encoderNetwork: name` build the encoder network with `factory`. */
export const registerEncoderNetwork = (name: string, factory: NetworkFactory, opts?: { replace?: boolean }): void =>
  encoderNetworks.register(name, factory, opts);
/** Makes `decoderNetwork: name` build the decoder network with `factory`. */
export const registerDecoderNetwork = (name: string, factory: NetworkFactory, opts?: { replace?: boolean }): void =>
  decoderNetworks.register(name, factory, opts);
/** Makes `flow: name` (with `flowSteps` > 0) build the posterior flow with `factory`. */
export const registerFlow = (name: string, factory: FlowFactory, opts?: { replace?: boolean }): void => flows.register(name, factory, opts);

/** The options of one role, `config.partOptions[role]` or `{}`. */
export const partOptions = (config: ModelConfig, role: keyof NonNullable<ModelConfig['partOptions']>): Record<string, unknown> =>
  config.partOptions?.[role] ?? {};

/** The encoder and decoder network names of a config (`encoderNetwork` / `decoderNetwork`, else `architecture`). */
export const networkNames = (config: ModelConfig): { encoder: string; decoder: string } => ({
  encoder: config.encoderNetwork ?? config.architecture,
  decoder: config.decoderNetwork ?? config.architecture,
});

/** Throws the {@link ConfigError} of the first part a config names that no one registered. */
export function checkPartNames(config: ModelConfig): void {
  likelihoods.get(config.decoder);
  priors.get(config.prior);
  const nets = networkNames(config);
  encoderNetworks.get(nets.encoder);
  decoderNetworks.get(nets.decoder);
  if (config.flowSteps > 0) flows.get(config.flow ?? 'iaf');
}

/**
 * Parts given as instances instead of by name (to a model's constructor): each replaces the part the
 * config names. A model built this way trains and evaluates in-process; a later process can rebuild it
 * only from registered names.
 */
export interface ModelParts {
  readonly likelihood?: Likelihood;
  readonly prior?: Prior;
  readonly encoderNetwork?: Net;
  readonly decoderNetwork?: Net;
  readonly flow?: PosteriorFlow;
}
