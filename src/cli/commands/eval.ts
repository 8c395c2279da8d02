import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { measureRunGeneration } from '../../eval/generation/run.js';
import { generationJson, generationLines } from '../../eval/generation/format.js';
import { SAMPLER_NAMES, type SamplerName } from '../../eval/samplers/index.js';
import { evaluateModel, loadRun } from '../../train/experiment.js';
import { evaluationSeed } from '../../train/seeds.js';
import { runBitsPerDim } from '../../train/pixelSupport.js';
import { classificationSummary } from '../../train/semiSupervised.js';
import { type CommandContext, type Opts, UserError } from '../context.js';
import { int } from '../flags.js';
import { runDirFromArchive } from '../../lab/unpack.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationJson, evaluationLines } from '../../eval/printEvaluation.js';
import { EVALUATION_FILE } from '../../report/measurements.js';
import { scoreDspritesModel } from '../../eval/disentanglement/scoreModel.js';
import { formatDisentanglement } from '../../eval/disentanglement/score.js';

/** `vaelab eval`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description(COMMAND_DESCRIPTIONS.eval)
    .argument('<run-dir>', 'a run directory, or a run zip downloaded from the Lab (unpacked beside it)')
    .option('--eval-k <n>', 'importance samples of the NLL estimate', int(0))
    .option('--eval-n <n>', 'test examples', int())
    .option('--no-surgery', 'skip ELBO surgery over the training posteriors (and the PCA / pPCA baselines: --no-pca)')
    .option('--surgery-n <n>', 'training posteriors in the aggregate posterior q(z) (default all; 5000 for an IAF posterior)', int())
    .option('--no-pca', 'skip the PCA / pPCA baselines')
    .option('--threads <n>', 'onnxruntime threads', int())
    .option('--json', 'print the result as one JSON line')
    .option('--generation', 'also measure sample quality: Fréchet distance, precision, recall in classifier features')
    .addOption(new Option('--sampler <name>', 'the sampler --generation measures').choices(SAMPLER_NAMES).default('prior'))
    .option('--n <n>', 'samples (and test images) of --generation', int(2), 2000)
    .option('--disentanglement', 'add the β-VAE score, FactorVAE score, MIG and DCI (data with ground-truth factors: dsprites)')
    .option('--disentanglement-points <n>', 'training points of the β-VAE and FactorVAE scores (default 10000, eval half as many)', int())
    .action((given: string, o: Opts) => {
      ctx.run(
        (async () => {
          const dir = runDirFromArchive(given);
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          if (!run.data.test) throw new UserError(`the run's dataset ${run.config.train.dataset} has no test part`);
          const r = await evaluateModel(
            run.model,
            run.config,
            run.data.test,
            {
              ...(o.evalK !== undefined ? { k: o.evalK as number } : {}),
              ...(o.evalN !== undefined ? { n: o.evalN as number } : {}),
              surgery: o.surgery !== false || o.pca !== false,
            },
            run.data.train,
            { surgery: o.surgery !== false, surgeryN: o.surgeryN as number | undefined, pca: o.pca !== false, log: ctx.io.err },
          );
          writeFileSync(join(dir, EVALUATION_FILE), JSON.stringify(evaluationJson(r), null, 1) + '\n'); // read by the report's measurement tables
          const gen = o.generation
            ? await measureRunGeneration(run, dir, [o.sampler as SamplerName], { n: o.n as number, log: o.json ? undefined : ctx.io.out })
            : null;
          const result = {
            runDir: dir,
            testElbo: r.elbo,
            testReconstruction: r.reconstruction,
            testKl: r.kl,
            testNll: r.nll,
            nllK: r.nllK,
            evalN: r.n,
            activeUnits: r.activeUnits,
            activity: r.activity,
            klPerLatent: r.klPerLatent,
            evalSeconds: r.seconds,
            bitsPerDim: runBitsPerDim(run.config.model, run.data.preprocess, r.nll ?? -r.elbo, run.data.test),
          };
          Object.assign(result, evaluationJson(r));
          const dis = o.disentanglement
            ? await scoreDspritesModel(run.model, run.config.train.dataset, {
                threads: o.threads as number | undefined,
                points: o.disentanglementPoints as number | undefined,
              })
            : null;
          if (dis)
            Object.assign(result, {
              betaVaeScore: dis.betaVaeScore,
              disentanglementFactors: dis.factors,
              factorVaeScore: dis.factorVaeScore,
              mig: dis.mig,
              dci: dis.dci,
              disentanglementSeconds: dis.seconds,
            });
          if (gen) Object.assign(result, { generation: generationJson(gen.results[0]) });
          const cls = await classificationSummary(run.model, run.data, {
            seed: evaluationSeed(run.config),
            threads: o.threads as number | undefined,
            baseline: false,
          });
          if (cls)
            Object.assign(result, {
              testError: cls.testError,
              confusion: cls.confusion,
              classifier: cls.classifier,
              baselineTestError: cls.baselineTestError,
            });
          if (o.json) ctx.io.out(JSON.stringify(result));
          else {
            for (const line of evaluationLines(r)) ctx.io.out(line);
            if (result.bitsPerDim !== null) ctx.io.out(`${result.bitsPerDim.toFixed(4)} bits/dim`);
            if (gen) for (const line of generationLines(gen.results[0])) ctx.io.out(line);
            if (dis) ctx.io.out(formatDisentanglement(dis));
            if (cls) {
              ctx.io.out(
                `test error ${(100 * cls.testError).toFixed(2)}% (${cls.classifier}); confusion (rows: true class, columns: predicted):`,
              );
              for (const row of cls.confusion) ctx.io.out(row.map((v) => String(v).padStart(5)).join(''));
            }
          }
        })(),
      );
    });
}
