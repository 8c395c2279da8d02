/** The training examples' posterior means and variances, encoded once per sampler context. */
import type { Encoded } from '../encode.js';
import { encodeSource } from '../encode.js';
import type { SamplerContext, SamplerOptions } from './sampler.js';

/** Encodes the first `opts.fitN` (default 10,000) training examples with q(z|x), once per context. */
export function trainingCodes(ctx: SamplerContext, opts: SamplerOptions): Promise<Encoded> {
  ctx.codes ??= encodeSource(ctx.model, ctx.train, {
    n: opts.fitN ?? 10000,
    preprocess: ctx.preprocess,
    seed: opts.fitSeed ?? 0,
    threads: ctx.threads,
    keep: 0,
  });
  return ctx.codes;
}
