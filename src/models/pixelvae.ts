/**
 * PixelVAE (Gulrajani et al. 2017) and VLAE's local decoder (Chen et al. 2017; seed 002, "autoregressive
 * decoders"): the VAE with p(x|z) = Π_i p(x_i | x_<i, z), a gated PixelCNN over the image conditioned
 * on a feature map h(z) made by the config's decoder network and added in every block. log p(x|z) is
 * exact and takes one pass (the masks hide every later pixel); sampling is pixel by pixel.
 * The receptive field is set by `pixelLayers` and `pixelKernel`: many blocks give PixelVAE's full
 * window, one small block VLAE's local window, which leaves the global structure to z.
 */
import { UserError } from '../engine/errors.js';
import { expand, reshape } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { PixelCnn } from '../nn/pixelCnn.js';
import type { ParameterStore } from '../nn/store.js';
import type { ModelConfig } from './config.js';
import { applyFlat } from './gaussianHead.js';
import { VAE } from './vae.js';
import type { GeneratedOutputs } from './types.js';

/** Bytes onnxruntime holds per pixel, channel and block of one row in an evaluation run (measured: ~50 at 28×28, 32 channels, 6 blocks). */
const BYTES_PER_FEATURE = 64;
/** Memory the feature maps of one evaluation graph run may take. */
const EVALUATION_BYTES = 2 ** 30;

export class PixelVAE extends VAE {
  readonly pixelCnn: PixelCnn;
  /** About 1 GiB of feature maps per evaluation run: 111 rows for the `pixelvae-mnist` preset (the default 5,000 would need ~38 GB at the measured 7.6 MB per row). */
  readonly evaluationRows: number;
  private readonly image: [number, number, number];

  constructor(config: ModelConfig, store: ParameterStore) {
    super(config, store, config.condChannels);
    const [C, H, W] = config.dataShape;
    this.image = [C, H, W];
    const featureBytes = BYTES_PER_FEATURE * H * W * config.pixelChannels * config.pixelLayers;
    this.evaluationRows = Math.max(1, Math.floor(EVALUATION_BYTES / featureBytes));
    this.pixelCnn = new PixelCnn(store, 'pixelcnn', C, this.likelihood.outputsPerPixel * C, {
      layers: config.pixelLayers,
      kernel: config.pixelKernel,
      channels: config.pixelChannels,
      condChannels: config.condChannels,
    });
  }

  /**
   * The decoder's per-pixel parameters [..., P·D] given the image x [..., D] and z [..., d] (same leading
   * axes): pixel i's depend on x_<i and z only, so log p(x|z) = Σ_i log p(x_i | x_<i, z) in one pass.
   */
  pixelParameters(x: Tensor, z: Tensor): Tensor {
    const [C, H, W] = this.image;
    const lead = z.shape.slice(0, -1);
    const cond = reshape(applyFlat(this.decoder, z), [-1, this.config.condChannels, H, W]);
    const out = this.pixelCnn.apply(reshape(x, [-1, C, H, W]), cond);
    return reshape(out, [...lead, this.likelihood.outputsPerPixel * this.dataSize]);
  }

  /** log p(x|z_k) = Σ_i log p(x_i | x_<i, z_k) (van den Oord et al. 2016, eq. 1), x [B, D], z [K, B, d] → [K, B]. */
  protected override decoderLogLikelihood(x: Tensor, z: Tensor): Tensor {
    const xk = z.rank === 3 ? expand(x, [z.shape[0], ...x.shape]) : x;
    return this.likelihood.logProb(x, this.pixelParameters(xk, z));
  }

  override decodeMean(): Tensor {
    throw new UserError(
      "model kind 'pixelvae' has an autoregressive decoder: E[x|z] has no one-pass form; draw samples pixel by pixel with sampleAutoregressive (eval/autoregressive.ts)",
    );
  }

  /** x ~ p(x|z) is drawn pixel by pixel (eval/autoregressive.ts), not in one graph. */
  override ancestral(): GeneratedOutputs {
    throw new UserError(
      "model kind 'pixelvae' has an autoregressive decoder: draw x ~ p(x|z) pixel by pixel with sampleAutoregressive (eval/autoregressive.ts)",
    );
  }

  override decodeStd(): Tensor | null {
    return null;
  }
}
