/**
 * A custom diagnostic over a trained run's posteriors, computed on exactly the test examples that
 * `vaelab eval` reads (the run's evaluation seed binarizes them the same way): per latent, how well the
 * posterior means separate the classes, as Fisher's ratio of between-class to within-class variance
 * of E_q[z_u|x]. Active latents of an MNIST VAE carry class information; inactive ones score ≈ 0.
 *
 *   npx tsx examples/classSeparation.ts RUN_DIR
 */
import { fileURLToPath } from 'node:url';
import { Random } from 'vaelab/engine';
import { posteriorLayers } from 'vaelab/eval';
import { evaluationInputs, evaluationSeed, loadRun } from 'vaelab/train';

/** Fisher's ratio per latent of the first `n` test examples' posterior means, and the examples used. */
export async function classSeparation(runDir: string, n = 1000): Promise<{ ratio: number[]; n: number }> {
  const run = await loadRun(runDir);
  const inputs = evaluationInputs(run, n).data;
  if (!inputs.labels) throw new Error(`${runDir}: the test set has no labels`);
  const [z] = await posteriorLayers(run.model, inputs, new Random(evaluationSeed(run.config)), { threads: 1 });
  const classes = Math.max(...inputs.labels) + 1;
  const ratio: number[] = [];
  for (let u = 0; u < z.d; u++) {
    const sum = new Float64Array(classes);
    const count = new Float64Array(classes);
    let total = 0;
    for (let i = 0; i < z.n; i++) {
      const m = z.mean[i * z.d + u];
      sum[inputs.labels[i]] += m;
      count[inputs.labels[i]] += 1;
      total += m;
    }
    const grand = total / z.n;
    let between = 0;
    let within = 0;
    for (let i = 0; i < z.n; i++) {
      const c = inputs.labels[i];
      within += (z.mean[i * z.d + u] - sum[c] / count[c]) ** 2;
    }
    for (let c = 0; c < classes; c++) if (count[c] > 0) between += count[c] * (sum[c] / count[c] - grand) ** 2;
    // F_u = (between-class variance) / (within-class variance) of μ_u.
    ratio.push(between / Math.max(within, 1e-12));
  }
  return { ratio, n: z.n };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) throw new Error('usage: npx tsx examples/classSeparation.ts RUN_DIR');
  const { ratio, n } = await classSeparation(process.argv[2]);
  console.log(`Fisher ratio per latent on ${n} test examples: ${ratio.map((r) => r.toFixed(3)).join(' ')}`);
}
