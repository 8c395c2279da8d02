import type { Command } from 'commander';
import { evaluateModel, loadRun } from '../../train/experiment.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';

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
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const r = await evaluateModel(run.model, run.config, run.data.test, {
            ...(o.evalK !== undefined ? { k: o.evalK as number } : {}), ...(o.evalN !== undefined ? { n: o.evalN as number } : {}),
          });
          const result = { runDir: dir, testElbo: r.elbo, testReconstruction: r.reconstruction, testKl: r.kl, testNll: r.nll, nllK: r.nllK, evalN: r.n, activeUnits: r.activeUnits, activity: r.activity, klPerLatent: r.klPerLatent, evalSeconds: r.seconds };
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            ctx.io.out(`test ELBO ${r.elbo.toFixed(2)} nats (reconstruction ${r.reconstruction.toFixed(2)}, KL ${r.kl.toFixed(2)}) on ${r.n} examples`);
            ctx.io.out(`test NLL ${r.nll === null ? '-' : r.nll.toFixed(2)} nats (K = ${r.nllK}); active units ${r.activeUnits}/${r.activity.length}`);
          }
        })(),
      );
    });

}
