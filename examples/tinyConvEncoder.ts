/**
 * A plugin that registers an encoder network under the name 'tiny-conv': two 3×3 convolutions with
 * stride 2 and ReLU, then a dense layer to q(z|x)'s parameters. A model config selects it with
 * `encoderNetwork: 'tiny-conv'`; `partOptions.encoderNetwork.channels` sets the widths (default [8, 16]).
 * The decoder stays whatever `architecture` names (an MLP here).
 */
import { relu, reshape } from 'vaelab/engine';
import { registerEncoderNetwork } from 'vaelab/models';
import { Conv2d, MLP } from 'vaelab/nn';

registerEncoderNetwork(
  'tiny-conv',
  ({ config, store, name, options, outSize }) => {
    const [c, h, w] = config.dataShape;
    if (config.dataShape.length !== 3) throw new Error(`tiny-conv needs image data [C, H, W], got [${config.dataShape}]`);
    const widths = Array.isArray(options.channels) ? (options.channels as number[]) : [8, 16];
    // Each 3×3 convolution with stride 2 and padding 1 halves the side (rounding up).
    const convs = widths.map(
      (out, i) => new Conv2d(store, `${name}.conv${i}`, i === 0 ? c : widths[i - 1], out, { kernel: 3, stride: 2, padding: 1 }),
    );
    const side = (s: number): number => widths.reduce((n) => Math.ceil(n / 2), s);
    const flat = widths[widths.length - 1] * side(h) * side(w);
    const head = new MLP(store, `${name}.head`, [flat, outSize]);
    return (x) => {
      const n = x.shape[0];
      const y = convs.reduce((t, conv) => relu(conv.apply(t)), reshape(x, [n, c, h, w]));
      return head.apply(reshape(y, [n, flat]));
    };
  },
  { replace: true },
);
