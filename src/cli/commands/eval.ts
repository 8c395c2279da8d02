import type { Command } from 'commander';
import { evaluateModel, loadRun } from '../../train/experiment.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';
import { scoreDspritesModel } from '../../eval/disentanglement/scoreModel.js';
import { formatDisentanglement } from '../../eval/disentanglement/score.js';

/** `vaelab eval`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description('recompute test ELBO, NLL and active units from a run directory\'s checkpoint')
    .argument('<run-dir>')
    .option('--eval-k <n>', 'importance samples of the NLL estimate', int(0))
    .option('--eval-n <n>', 'test examples', int())
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--json', 'print the result as one JSON line')
    .option('--disentanglement', 'add the β-VAE score, FactorVAE score, MIG and DCI (data with ground-truth factors: dsprites)')
    .option('--disentanglement-points <n>', 'training points of the β-VAE and FactorVAE scores (default 10000, eval half as many)', int())
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir);
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const r = await evaluateModel(run.model, run.config, run.data.test, {
            ...(o.evalK !== undefined ? { k: o.evalK as number } : {}), ...(o.evalN !== undefined ? { n: o.evalN as number } : {}),
          });
          const result = { runDir: dir, testElbo: r.elbo, testReconstruction: r.reconstruction, testKl: r.kl, testNll: r.nll, nllK: r.nllK, evalN: r.n, activeUnits: r.activeUnits, activity: r.activity, klPerLatent: r.klPerLatent, evalSeconds: r.seconds };
          const dis = o.disentanglement
            ? await scoreDspritesModel(run.model, run.config.train.dataset, { threads: o.threads as number | undefined, points: o.disentanglementPoints as number | undefined })
            : null;
          if (dis) Object.assign(result, { betaVaeScore: dis.betaVaeScore, factorVaeScore: dis.factorVaeScore, mig: dis.mig, dci: dis.dci, disentanglementSeconds: dis.seconds });
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            ctx.io.out(`test ELBO ${r.elbo.toFixed(2)} nats (reconstruction ${r.reconstruction.toFixed(2)}, KL ${r.kl.toFixed(2)}) on ${r.n} examples`);
            ctx.io.out(`test NLL ${r.nll === null ? '-' : r.nll.toFixed(2)} nats (K = ${r.nllK}); active units ${r.activeUnits}/${r.activity.length}`);
            if (dis) ctx.io.out(formatDisentanglement(dis));
          }
        })(),
      );
    });

}
