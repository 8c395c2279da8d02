import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EVALUATION_FILE } from '../../report/measurements.js';
import { loadRun } from '../../train/experiment.js';
import { evaluateFull } from '../../eval/fullEvaluation.js';
import { evaluationJson, evaluationLines } from '../../eval/printEvaluation.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';

/** `vaelab eval`: every measurement of issue #7 on the run's test set (surgery and PCA on its training set). */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description('recompute test ELBO and NLL (with standard errors), active units per layer, the variance law, moments, collapse, ELBO surgery and PCA/pPCA from a run directory\'s checkpoint')
    .argument('<run-dir>')
    .option('--eval-k <n>', 'importance samples of the NLL estimate', int(0))
    .option('--eval-n <n>', 'test examples', int())
    .option('--no-surgery', 'skip ELBO surgery over the training posteriors')
    .option('--surgery-n <n>', 'training posteriors in the aggregate posterior q(z) (default all)', int())
    .option('--no-pca', 'skip the PCA / pPCA baselines')
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--json', 'print the result as one JSON line')
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir);
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const e = run.config.eval;
          const r = await evaluateFull(run.model, run.data.train, run.data.test, {
            batch: e.batch, nllBatch: e.nllBatch, kChunk: e.kChunk, k: (o.evalK as number | undefined) ?? 0, n: (o.evalN as number | undefined) ?? e.n,
            preprocess: run.data.preprocess, seed: run.config.train.seed + 1, threads: (o.threads as number | undefined) ?? run.config.train.threads,
            surgery: o.surgery !== false, surgeryN: o.surgeryN as number | undefined, pca: o.pca !== false,
            log: (line) => ctx.io.err(line),
          });
          const json = { runDir: dir, testElbo: r.elbo, testNll: r.nll, evalN: r.n, activity: r.activity, ...evaluationJson(r) };
          writeFileSync(join(dir, EVALUATION_FILE), JSON.stringify(json, null, 1) + '\n'); // the report's surgery and PCA tables read it
          if (o.json) ctx.io.out(JSON.stringify(json));
          else for (const line of evaluationLines(r)) ctx.io.out(line);
        })(),
      );
    });
}
