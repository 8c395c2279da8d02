/**
 * A VAE with a user-defined likelihood (Laplace, registered by `./laplace.ts`) trained through the whole
 * pipeline: checkpoints, metrics, validation, the final evaluation and a run directory that
 * `vaelab eval`, `vaelab report` and `vaelab train --resume` open like any other.
 *
 *   npx tsx examples/laplaceVae.ts [OUT_DIR]
 */
import { fileURLToPath } from 'node:url';
import { createModel } from 'vaelab/models';
import { train, type RunSummary } from 'vaelab/train';
import './laplace.js';

/** The plugin module that registers 'laplace'; the run records it so later processes can rebuild the model. */
export const LAPLACE_PLUGIN = fileURLToPath(new URL('./laplace.ts', import.meta.url));

/** Trains a small Laplace VAE on dequantized MNIST grey levels into `out` and returns the run's summary. */
export async function laplaceVae(out: string, steps = 40): Promise<RunSummary> {
  const model = createModel(
    {
      decoder: 'laplace',
      partOptions: { likelihood: { minLogScale: -5 } },
      latent: 4,
      hidden: [64],
      dataShape: [784],
    },
    { seed: 1 },
  );
  return train(model, 'mnist', {
    out,
    plugins: [LAPLACE_PLUGIN],
    // Grey levels, dequantized (x = (pixel + u)/256): a density on [0, 1] cannot sit on exact 0s.
    train: { trainN: 600, validation: 100, batch: 50, maxSteps: steps, binarize: 'none', dequantize: true, threads: 1, seed: 1 },
    eval: { k: 10, n: 100 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = await laplaceVae(process.argv[2] ?? 'runs/laplace-vae');
  console.log(
    `test ELBO ${summary.testElbo?.toFixed(2)} nats, test NLL ${summary.testNll?.toFixed(2)} nats (K = ${summary.nllK}) in ${summary.runDir}`,
  );
}
