import { type Command, Option } from 'commander';
import { measureRunGeneration } from '../../eval/generation/run.js';
import { generationJson, generationLines } from '../../eval/generation/format.js';
import { SAMPLER_NAMES, type SamplerName } from '../../eval/samplers/index.js';
import { evaluateModel, loadRun } from '../../train/experiment.js';
import { classificationSummary } from '../../train/semiSupervised.js';
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
    .option('--generation', 'also measure sample quality: Fréchet distance, precision, recall in classifier features')
    .addOption(new Option('--sampler <name>', 'the sampler --generation measures').choices(SAMPLER_NAMES).default('prior'))
    .option('--n <n>', 'samples (and test images) of --generation', int(2), 2000)
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir);
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const r = await evaluateModel(run.model, run.config, run.data.test, {
            ...(o.evalK !== undefined ? { k: o.evalK as number } : {}), ...(o.evalN !== undefined ? { n: o.evalN as number } : {}),
          });
          const gen = o.generation ? await measureRunGeneration(run, dir, [o.sampler as SamplerName], { n: o.n as number, log: o.json ? undefined : ctx.io.out }) : null;
          const result = { runDir: dir, testElbo: r.elbo, testReconstruction: r.reconstruction, testKl: r.kl, testNll: r.nll, nllK: r.nllK, evalN: r.n, activeUnits: r.activeUnits, activity: r.activity, klPerLatent: r.klPerLatent, evalSeconds: r.seconds };
          if (gen) Object.assign(result, { generation: generationJson(gen.results[0]) });
          const cls = await classificationSummary(run.model, run.data, { seed: run.config.train.seed + 1, threads: o.threads as number | undefined, baseline: false });
          if (cls) Object.assign(result, { testError: cls.testError, confusion: cls.confusion, classifier: cls.classifier, baselineTestError: cls.baselineTestError });
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            ctx.io.out(`test ELBO ${r.elbo.toFixed(2)} nats (reconstruction ${r.reconstruction.toFixed(2)}, KL ${r.kl.toFixed(2)}) on ${r.n} examples`);
            ctx.io.out(`test NLL ${r.nll === null ? '-' : r.nll.toFixed(2)} nats (K = ${r.nllK}); active units ${r.activeUnits}/${r.activity.length}`);
            if (gen) for (const line of generationLines(gen.results[0])) ctx.io.out(line);
            if (cls) {
              ctx.io.out(`test error ${(100 * cls.testError).toFixed(2)}% (${cls.classifier}); confusion (rows: true class, columns: predicted):`);
              for (const row of cls.confusion) ctx.io.out(row.map((v) => String(v).padStart(5)).join(''));
            }
          }
        })(),
      );
    });

}
