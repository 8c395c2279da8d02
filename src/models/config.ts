/**
 * The configuration of a model, validated with zod. One schema covers the family; the registry
 * (`registry.ts`) turns a parsed config into a model. Errors name the field and what was expected.
 */
import { UserError } from '../engine/errors.js';
import { z } from 'zod';
import { ACTIVATIONS, type ActivationName } from '../nn/activation.js';

export const MODEL_KINDS = ['ae', 'vae', 'iwae', 'hvae', 'm2', 'pixelvae'] as const;
export const DECODERS = [
  'bernoulli',
  'gaussian',
  'gaussian-fixed',
  'gaussian-scalar',
  'continuous-bernoulli',
  'discretized-logistic',
  'beta-binomial',
] as const;
export const PRIORS = ['standard', 'mog', 'vampprior', 'af'] as const;
export const ARCHITECTURES = ['mlp', 'conv', 'gated'] as const;

const positiveInt = z.number().int().positive();
const activationNames = Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]];

export const modelConfigSchema = z
  .object({
    /** 'ae' deterministic autoencoder, 'vae', 'iwae' (the VAE trained with L_K), 'hvae' two stochastic layers. */
    kind: z.enum(MODEL_KINDS).default('vae'),
    /** p(x|z): a registered likelihood, the built-ins {@link DECODERS} (`likelihood.ts`) or one of `registerLikelihood` (`parts.ts`). */
    decoder: z.string().min(1).default('bernoulli'),
    /** σ of the 'gaussian-fixed' decoder (MSE variant). */
    sigma: z.number().positive().default(1),
    /** p(z): a registered prior, the built-ins {@link PRIORS} (standard normal, mixture of Gaussians, VampPrior, VLAE's autoregressive flow prior 'af') or one of `registerPrior`. */
    prior: z.string().min(1).default('standard'),
    /** Weights of the 'mog' prior: 1/C each as in seed 002 ('uniform'), or learned logits ('learned'). */
    mixtureWeights: z.enum(['uniform', 'learned']).default('uniform'),
    /** Mixture components (mog) or pseudo-inputs (vampprior). */
    components: positiveInt.default(10),
    /** Latent size d (top layer z2 for 'hvae'). */
    latent: positiveInt.default(32),
    /** Size of z1 for 'hvae' (IWAE paper: 100). */
    latent1: positiveInt.default(100),
    /** Hidden widths of encoder and decoder (mirrored); for 'conv', the dense layers after the convolutions. */
    hidden: z.array(positiveInt).default([512, 512]),
    /** Hidden widths of the decoder, z side first, when they do not mirror `hidden` (Higgins et al. 2017: 1200-1200 encoder, 1200-1200-1200 decoder). */
    decoderHidden: z.array(positiveInt).optional(),
    /** Hidden widths of the second stochastic layer of 'hvae' (IWAE paper: 100, 100). */
    hidden2: z.array(positiveInt).default([100, 100]),
    activation: z.enum(activationNames).default('relu'),
    /** Dense weight initialisation: 'pytorch' (uniform ±1/√fan_in), 'glorot' (uniform), 'he' (normal). */
    init: z.enum(['pytorch', 'glorot', 'he']).default('pytorch'),
    /**
     * Decoder output bias: the initialiser's, or 'data-logit' = logit of each pixel's mean over the training
     * set (Burda et al. 2016's code; Bernoulli-type decoders), set by the run before training.
     */
    decoderBias: z.enum(['default', 'data-logit']).default('default'),
    /** Clamp the encoder's log σ² to [min, max] (hardtanh; Tomczak & Welling 2018 use [−6, 2]); null: none. */
    encoderLogVarRange: z.tuple([z.number(), z.number()]).nullable().default(null),
    /** VampPrior pseudo-inputs: 'free' parameters, or 'hardtanh' = clamped to [0, 1] (Tomczak & Welling 2018's code). */
    pseudoInputs: z.enum(['free', 'hardtanh']).default('free'),
    /**
     * Floor on the learned decoder log-variance, log σ_x² ≥ min ('gaussian', 'gaussian-scalar'; Tomczak &
     * Welling bound it with a hardtanh): keeps the density bounded on pixels at exactly 0 or 1 (seed 004, §5.3).
     * null: no floor (theory runs).
     */
    decoderMinLogVar: z.number().nullable().default(null),
    architecture: z.enum(ARCHITECTURES).default('mlp'),
    /** A registered encoder network replacing the `architecture`'s (`registerEncoderNetwork`, `parts.ts`). */
    encoderNetwork: z.string().min(1).optional(),
    /** A registered decoder network replacing the `architecture`'s (`registerDecoderNetwork`). */
    decoderNetwork: z.string().min(1).optional(),
    /** The registered posterior flow of `flowSteps` > 0 (default 'iaf'; `registerFlow`). */
    flow: z.string().min(1).optional(),
    /** Options handed to each registered part's factory, by role (a custom likelihood's scale, ...). */
    partOptions: z
      .strictObject({
        likelihood: z.record(z.string(), z.unknown()).optional(),
        prior: z.record(z.string(), z.unknown()).optional(),
        encoderNetwork: z.record(z.string(), z.unknown()).optional(),
        decoderNetwork: z.record(z.string(), z.unknown()).optional(),
        flow: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    /** Channels of the stride-2 convolutions of 'conv', outermost first (only as many as the image allows are used). */
    channels: z.array(positiveInt).default([32, 32, 64, 64]),
    /** Inverse autoregressive flow steps on q(z|x) (0: plain diagonal Gaussian). */
    flowSteps: z.number().int().nonnegative().default(0),
    /** Hidden widths of each IAF step's MADE. */
    flowHidden: z.array(positiveInt).default([64]),
    /** Size of the context h the encoder emits for the IAF steps (Kingma et al. 2016, §3); 0: none. */
    flowContext: z.number().int().nonnegative().default(32),
    /** Steps of the 'af' prior's autoregressive flow (Chen et al. 2017). */
    priorFlowSteps: positiveInt.default(2),
    /** Hidden widths of each 'af' prior step's MADE. */
    priorFlowHidden: z.array(positiveInt).default([64]),
    /** 'pixelvae': gated PixelCNN blocks of the decoder (the window reaches blocks·⌊k/2⌋ + 1 rows up). */
    pixelLayers: positiveInt.default(3),
    /** 'pixelvae': odd kernel size k of the PixelCNN blocks. */
    pixelKernel: positiveInt.refine((k) => k % 2 === 1, 'expected an odd kernel size').default(5),
    /** 'pixelvae': feature channels of the PixelCNN stacks. */
    pixelChannels: positiveInt.default(32),
    /** 'pixelvae': channels of the map h(z) the decoder network makes from z, added in every block. */
    condChannels: positiveInt.default(4),
    /** Importance samples per example the model is trained with (L_K for 'iwae'). */
    k: positiveInt.default(1),
    /** Number of classes C of 'm2' (the discrete latent y). */
    classes: positiveInt.default(10),
    /** Data shape [C, H, W] (or [D] for flat data). */
    dataShape: z.array(positiveInt).min(1).max(3),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.architecture === 'conv' && c.dataShape.length !== 3) {
      issue('dataShape', `architecture 'conv' expects an image shape [C, H, W], got [${c.dataShape}]`);
    }
    if (c.flowSteps > 0 && (c.prior === 'vampprior' || c.kind === 'ae' || c.kind === 'hvae')) {
      issue(
        'flowSteps',
        `expected 0 for kind '${c.kind}' with prior '${c.prior}' (IAF is available for 'vae'/'iwae' with a standard or mog prior)`,
      );
    }
    if (c.encoderLogVarRange && !(c.encoderLogVarRange[0] < c.encoderLogVarRange[1])) {
      issue('encoderLogVarRange', `expected [min, max] with min < max, got [${c.encoderLogVarRange}]`);
    }
    if (c.decoderBias === 'data-logit' && (c.architecture === 'conv' || !['bernoulli', 'continuous-bernoulli'].includes(c.decoder))) {
      issue(
        'decoderBias',
        `'data-logit' needs a Bernoulli-type decoder on 'mlp' or 'gated' networks, got '${c.decoder}' on '${c.architecture}'`,
      );
    }
    if (c.kind === 'm2' && (c.architecture === 'conv' || c.prior !== 'standard' || c.flowSteps > 0)) {
      issue(
        'kind',
        `'m2' takes architecture 'mlp' or 'gated', prior 'standard' and no flow (got '${c.architecture}', '${c.prior}', ${c.flowSteps} flow steps)`,
      );
    }
    if (c.kind === 'pixelvae' && c.dataShape.length !== 3) {
      issue('dataShape', `kind 'pixelvae' expects an image shape [C, H, W], got [${c.dataShape}]`);
    }
    if (c.kind === 'hvae' && c.architecture !== 'mlp') {
      issue('architecture', `expected 'mlp' for kind 'hvae', got '${c.architecture}'`);
    }
  });

/** A model configuration as written by a user (defaults optional). */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;
/** A validated model configuration, every default filled in. */
export type ModelConfig = z.output<typeof modelConfigSchema>;

/** A configuration that failed validation; `message` lists each field and what it expected. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
}

/** Formats zod issues as `field: message; field: message`. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates `input` and fills defaults; throws a {@link ConfigError} naming each bad field. */
export function parseModelConfig(input: unknown): ModelConfig {
  const r = modelConfigSchema.safeParse(input);
  if (!r.success) throw new ConfigError(`invalid model config: ${formatIssues(r.error.issues)}`);
  return r.data;
}
