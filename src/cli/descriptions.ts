/**
 * What each `vaelab` subcommand does, in one line: `vaelab --help` lists these without loading any
 * command (main.ts imports only the command that runs), and each command file describes itself with them.
 */
export const COMMAND_DESCRIPTIONS = {
  train: 'train a model, evaluate it on the test set, and write a run directory',
  eval: "recompute test ELBO and NLL (with standard errors), active units per layer, the variance law, moments, collapse, ELBO surgery and PCA/pPCA from a run directory's checkpoint",
  sample: 'draw samples (from the prior, or from a fit of the aggregate posterior) and write them as a PNG grid',
  encode: 'write the posterior mean and standard deviation of every test example as CSV',
  features: "write a trained VAE's posterior means of its whole dataset as features.npy + labels.npy (M1's features, for M1+M2)",
  export: 'write the trained encoder and decoder as standalone ONNX files (parameters included)',
  report: "write RUN_DIR/report/: index.html with the run's numbers, reconstructions, samples, latent pictures and charts",
  serve: "a dashboard in the browser: follow runs live, compare them, explore a trained model's latent space (read-only)",
  lab: 'the VAE Lab in the browser: train a VAE in the page (onnxruntime-web, same engine) and take it apart; download the run for vaelab eval',
  sweep:
    'many runs from one spec (YAML or JSON): on this machine (a pool of processes) or, with --queue, through a BullMQ/Redis job queue served by `vaelab worker`',
  worker:
    'take sweep runs from the BullMQ/Redis queue and train them into --runs-dir (a folder every worker shares); a run whose worker died resumes from its last checkpoint',
  compress:
    "compress images losslessly with a trained VAE (bits-back coding with rANS); prints bits per dimension against the model's −ELBO",
  decompress: 'decompress a file written by vaelab compress with the same run; writes the images as IDX or NPY (uint8)',
  reproduce:
    "regenerate a table or figure of the seeds: run its sweep at a budget, then write a report with the seed's numbers beside vaelab's",
} as const;

/** A subcommand's name. */
export type CommandName = keyof typeof COMMAND_DESCRIPTIONS;
