/**
 * Convolution epilogues: y = relu(conv(x, w) + b) written as one node. ONNX Conv and ConvTranspose
 * take the bias as a third input, and onnxruntime's blocked Conv (`nchwc.ts`) also applies an
 * activation to its output, so the layers of `nn/conv.ts` need neither a separate Add nor a separate
 * Relu pass over their feature maps. Nothing in the engine's graph changes: the lowering only sees,
 * before it writes the nodes, which conv → add → relu chains it may write as one.
 */
import type { Tensor } from '../tensor.js';

/** A chain the lowering writes as one convolution node. */
export interface ConvEpilogue {
  /** The conv2d or convTranspose2d at the head of the chain. */
  readonly conv: Tensor<'conv2d' | 'convTranspose2d'>;
  /** The 1-D bias [C] added to every output channel. */
  readonly bias: Tensor;
  /** Whether a ReLU follows the bias. */
  readonly relu: boolean;
}

/**
 * The chains of `order` (a topological order of the graph whose results are `outputs`) that can be
 * fused: a convolution whose only use is `add(conv, reshape(b, [C, 1, 1]))` with b of shape [C],
 * optionally followed by a `relu` that is the add's only use. The map is keyed by the chain's last
 * tensor, whose value the fused node writes; `absorbed` holds the tensors before it (and the bias's
 * [C, 1, 1] view where nothing else reads it), whose values are then never computed: each is used only
 * inside its chain and is not a graph output.
 */
export function convEpilogues(
  order: readonly Tensor[],
  outputs: readonly Tensor[],
): { chains: Map<Tensor, ConvEpilogue>; absorbed: Set<Tensor> } {
  const uses = new Map<Tensor, Tensor[]>();
  for (const t of order) for (const x of t.inputs) uses.set(x, [...(uses.get(x) ?? []), t]);
  const isOutput = new Set(outputs);
  /** The only consumer of `t`, when it has exactly one and is not a graph output. */
  const onlyUse = (t: Tensor): Tensor | undefined => {
    const u = uses.get(t) ?? [];
    return u.length === 1 && !isOutput.has(t) ? u[0] : undefined;
  };

  const chains = new Map<Tensor, ConvEpilogue>();
  const absorbed = new Set<Tensor>();
  for (const t of order) {
    if (!(t.is('conv2d') || t.is('convTranspose2d')) || t.dtype !== 'float32') continue;
    const add = onlyUse(t);
    if (!add?.is('add') || add.inputs[0] === add.inputs[1]) continue;
    const other = add.inputs[0] === t ? add.inputs[1] : add.inputs[0];
    const channels = t.shape[1];
    const bias = other.is('reshape') ? other.inputs[0] : undefined;
    const perChannel = other.shape.length === 3 && other.shape[0] === channels && other.shape[1] === 1 && other.shape[2] === 1;
    if (!bias || bias.rank !== 1 || bias.shape[0] !== channels || !perChannel) continue;
    if (onlyUse(other) === add) absorbed.add(other); // the [C, 1, 1] view of b, not needed by the node
    const relu = onlyUse(add);
    if (relu?.is('relu')) {
      chains.set(relu, { conv: t, bias, relu: true });
      absorbed.add(t).add(add);
    } else {
      chains.set(add, { conv: t, bias, relu: false });
      absorbed.add(t);
    }
  }
  return { chains, absorbed };
}
