import { describe, expect, it } from 'vitest';
import { abs, add, constant, div, exp, input, neg, split, sub, sum } from '../engine/ops.js';
import { interpret } from '../engine/reference.js';
import type { Tensor } from '../engine/tensor.js';
import { ParameterStore } from '../nn/store.js';
import { parseModelConfig } from './config.js';
import { gaussianLikelihood, type Likelihood } from './likelihood.js';
import { mlpNet } from './networks.js';
import { likelihoods, registerEncoderNetwork, registerLikelihood, registerPrior } from './parts.js';
import { standardNormalPrior } from './priors.js';
import { createModel } from './registry.js';
import { dataFeed, noiseFeeds, noiseInputs, Random } from './testing.js';
import { VAE } from './vae.js';

const names = (m: { store: ParameterStore }): string[] => m.store.all().map((p) => p.name);

/** p(x|z) = Π Laplace(x_i; μ_i, b_i), b = exp(log b) from the network: log p = Σ_i −log(2 b_i) − |x_i − μ_i| / b_i. */
const laplace = (): Likelihood => {
  const parts = (out: Tensor): [Tensor, Tensor] => {
    const d = out.shape[out.rank - 1] / 2;
    const [mu, logB] = split(out, [d, d], -1);
    return [mu, logB];
  };
  return {
    outputsPerPixel: 2,
    logProb: (x, out) => {
      const [mu, logB] = parts(out);
      return sum(sub(neg(add(logB, Math.log(2))), div(abs(sub(x, mu)), exp(logB))), -1);
    },
    mean: (out) => parts(out)[0],
    std: () => null,
    sampleNoise: 'uniform',
    sample: (out) => parts(out)[0],
  };
};

const termsOf = (m: ReturnType<typeof createModel>, seed = 3): Float64Array[] => {
  const x = input('x', [3, 6]);
  const specs = m.noise(3, 2);
  const t = m.terms(x, noiseInputs(specs), 2);
  const rng = new Random(seed);
  return interpret([t.logLikelihood, t.logPrior, t.logPosterior], { x: dataFeed(18, rng), ...noiseFeeds(specs, rng) });
};

const base = { dataShape: [6], hidden: [5], latent: 2 };

describe('model parts registry', () => {
  it('a registered likelihood is built by name and gives its closed-form log density', () => {
    // A Laplace likelihood with b = exp(log b): log p(x|z) = Σ_i −log(2 b_i) − |x_i − μ_i| / b_i.
    let options: Record<string, unknown> = {};
    registerLikelihood('laplace-test', (c) => ((options = c.options), laplace()));
    const m = createModel({ ...base, decoder: 'laplace-test', partOptions: { likelihood: { scale: 2 } } }, { seed: 1 }) as VAE;
    const x = [0.1, 0.5, 0.9, 0, 1, 0.3];
    const out = [...x.map(() => 0.2), ...x.map(() => Math.log(2))];
    const [lp] = interpret([m.likelihood.logProb(constant(x, [1, 6]), constant(out, [1, 12]))], {});
    const expected = x.reduce((s, xi) => s - Math.log(2 * 2) - Math.abs(xi - 0.2) / 2, 0);
    expect(lp[0]).toBeCloseTo(expected, 10);
    expect(options).toEqual({ scale: 2 });
    // The decoder network emits the likelihood's two numbers per pixel.
    expect(m.store.get('decoder.1.bias').shape).toEqual([12]);
    expect(likelihoods.names()).toContain('laplace-test');
  });

  it('refuses a taken name unless told to replace it, and names without a spelling', () => {
    expect(() => registerLikelihood('bernoulli', () => laplace())).toThrow(/'bernoulli' is already registered/);
    expect(() => registerPrior('with space', ({ latent }) => standardNormalPrior(latent))).toThrow(/expected a name of letters/);
  });

  it('instances passed to the VAE replace the parts the config names, with no copy of its body', () => {
    const config = parseModelConfig({ ...base, decoder: 'gaussian' });
    const byName = createModel(config, { seed: 1 });
    // The same parts, built by hand and passed in: the same parameters, so the same terms.
    const store = new ParameterStore(1);
    const encoder = mlpNet(store, 'encoder', [6, 5, 4], 'relu');
    const decoder = mlpNet(store, 'decoder', [2, 5, 12], 'relu');
    const byParts = new VAE(config, store, undefined, {
      encoderNetwork: encoder,
      decoderNetwork: decoder,
      likelihood: gaussianLikelihood(),
      prior: standardNormalPrior(2),
    });
    expect(names(byParts)).toEqual(names(byName));
    expect(termsOf(byParts)).toEqual(termsOf(byName));
  });

  it("a registered encoder network replaces the architecture's and reads its options", () => {
    let seen: Record<string, unknown> = {};
    registerEncoderNetwork('tiny-test', (c) => {
      seen = { in: c.inSize, out: c.outSize, options: c.options };
      return mlpNet(c.store, c.name, [c.inSize, c.outSize], 'relu');
    });
    const m = createModel({ ...base, encoderNetwork: 'tiny-test', partOptions: { encoderNetwork: { depth: 0 } } }, { seed: 1 });
    expect(seen).toEqual({ in: 6, out: 4, options: { depth: 0 } });
    expect(names(m).filter((n) => n.startsWith('encoder'))).toEqual(['encoder.0.weight', 'encoder.0.bias']);
    expect(termsOf(m).every((t) => t.every(Number.isFinite))).toBe(true);
  });
});
