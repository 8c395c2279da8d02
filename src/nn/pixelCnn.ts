/**
 * A gated PixelCNN network (van den Oord et al. 2016): `layers` gated blocks, then a 1×1 ReLU head.
 * Output pixel i depends on input pixels < i in raster order only (channels within a pixel are read
 * together), and on the conditioning map wherever one is given — PixelVAE's decoder (Gulrajani et al. 2017).
 */
import { relu } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';
import { GatedPixelCnnBlock, PaddedConv2d, gatedReceptiveField } from './gatedPixelCnn.js';
import type { ParameterStore } from './store.js';

/** The shape of a {@link PixelCnn}. */
export interface PixelCnnOptions {
  /** Gated blocks L (≥ 1): with kernel k the window reaches L·⌊k/2⌋ + 1 rows up (see {@link gatedReceptiveField}). */
  layers: number;
  /** Odd kernel size k. */
  kernel: number;
  /** Feature channels of both stacks. */
  channels: number;
  /** Channels of the conditioning map (0: unconditional). */
  condChannels: number;
}

export class PixelCnn {
  readonly blocks: GatedPixelCnnBlock[];
  readonly head: PaddedConv2d;
  readonly out: PaddedConv2d;

  /** @param outChannels numbers emitted per pixel (e.g. one Bernoulli logit per image channel). */
  constructor(
    store: ParameterStore,
    name: string,
    inChannels: number,
    outChannels: number,
    readonly opts: PixelCnnOptions,
  ) {
    if (!Number.isInteger(opts.layers) || opts.layers < 1)
      throw new Error(`PixelCnn: layers must be a positive integer, got ${opts.layers}`);
    this.blocks = Array.from(
      { length: opts.layers },
      (_, i) =>
        new GatedPixelCnnBlock(store, `${name}.block${i}`, i === 0 ? inChannels : opts.channels, opts.channels, {
          kernel: opts.kernel,
          first: i === 0,
          condChannels: opts.condChannels,
        }),
    );
    this.head = new PaddedConv2d(store, `${name}.head`, opts.channels, opts.channels, [1, 1]);
    this.out = new PaddedConv2d(store, `${name}.out`, opts.channels, outChannels, [1, 1]);
  }

  /** How far back each output pixel reads (rows up, columns left in its row, columns either side above). */
  get receptiveField(): { up: number; left: number; side: number } {
    return gatedReceptiveField(this.opts.layers, this.opts.kernel);
  }

  /** x [N, Cin, H, W], cond [N, Cc, H, W] or null → [N, outChannels, H, W]. */
  apply(x: Tensor, cond: Tensor | null = null): Tensor {
    return this.headOutput(this.features(x, cond));
  }

  /** The per-pixel head on the last horizontal stack: out(relu(head(relu(h)))). */
  private headOutput(h: Tensor): Tensor {
    return this.out.apply(relu(this.head.apply(relu(h))));
  }

  /** The last block's horizontal stack [N, C, H, W], before the per-pixel head. */
  features(x: Tensor, cond: Tensor | null = null): Tensor {
    return this.blocks.reduce((acc, b) => b.apply(acc, cond), { vertical: x, horizontal: x }).horizontal;
  }

  /**
   * For sampling row by row (eval/autoregressive.ts): each block's vertical link into its horizontal stack,
   * [N, 2C, R, W], for rows x [N, Cin, R, W] (cond [N, Cc, R, W] the same rows). Row r of a link reads
   * rows < r only, so it is the whole image's link at that row once the `receptiveField.up` rows above r
   * are in the band (or the band starts at the image's top).
   */
  verticalLinks(x: Tensor, cond: Tensor | null = null): Tensor[] {
    const links: Tensor[] = [];
    let v = x;
    for (const b of this.blocks) {
      const part = b.verticalPart(v, cond);
      links.push(part.link);
      v = part.vertical;
    }
    return links;
  }

  /**
   * The output of one row, [N, outChannels, 1, W], from that row of the input xRow [N, Cin, 1, W] (column j
   * reads columns < j), of the conditioning map and each block's {@link verticalLinks} at that row.
   */
  rowOutput(xRow: Tensor, links: readonly Tensor[], condRow: Tensor | null = null): Tensor {
    return this.headOutput(this.blocks.reduce((acc, b, i) => b.horizontalPart(acc, links[i], condRow), xRow));
  }
}
