/**
 * A VAE with a custom convolutional encoder (registered by `./tinyConvEncoder.ts`) trained on a folder
 * of PNG images — the user's own data: greyscale or RGB, all one size; subfolders become class labels.
 *
 *   npx tsx examples/pngFolderVae.ts PNG_FOLDER [OUT_DIR]
 */
import { fileURLToPath } from 'node:url';
import { train, type RunSummary } from 'vaelab/train';

/** The plugin module that registers 'tiny-conv': `train` imports it first and records it, so `vaelab eval` & co. import it too. */
export const TINY_CONV_PLUGIN = fileURLToPath(new URL('./tinyConvEncoder.ts', import.meta.url));

/** Trains a small conv-encoder VAE on the PNGs in `folder` into `out`; returns the run's summary. */
export async function pngFolderVae(folder: string, out: string, steps = 50): Promise<RunSummary> {
  return train(
    // A model config naming the registered encoder; the data's shape is filled in from the folder.
    { decoder: 'bernoulli', encoderNetwork: 'tiny-conv', latent: 4, hidden: [64] },
    folder,
    {
      out,
      plugins: [TINY_CONV_PLUGIN],
      // Grey levels binarized afresh at every step; 20 % of the images held out for validation and test.
      train: { binarize: 'dynamic', batch: 16, epochs: 1000, maxSteps: steps, validation: 0.1, test: 0.1, threads: 1, seed: 1 },
      eval: { k: 10 },
    },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) throw new Error('usage: npx tsx examples/pngFolderVae.ts PNG_FOLDER [OUT_DIR]');
  const s = await pngFolderVae(process.argv[2], process.argv[3] ?? 'runs/png-folder-vae');
  console.log(`test ELBO ${s.testElbo?.toFixed(2)} nats, NLL ${s.testNll?.toFixed(2)} nats in ${s.runDir}`);
}
