/**
 * The training loop: seeded shuffling, dynamic or static binarization, schedules fed as per-step
 * inputs, validation with early stopping, checkpoints and resume, NaN/Inf detection, run logs.
 *
 * Last partial batch: the training graph has a static batch size, so each epoch uses
 * ⌊n / batch⌋ full batches of a fresh permutation and drops the remainder (different examples are
 * dropped each epoch). Evaluation pads and masks instead (see `eval/evaluate.ts`).
 *
 * Reproducibility: one seed gives three generators (shuffle, binarization, noise), split from one
 * root. A checkpoint stores their states, the shuffle state at the start of the current epoch and
 * the position in it, so a resumed run draws the same permutation, pixels and noise as an
 * uninterrupted one and its parameters are bit-identical.
 *
 * Steps per run: up to `stepsPerRun` steps run in one ONNX Loop. Their batches and noise are drawn
 * batch by batch in the order single steps draw them, and a looped run never crosses an event (epoch
 * end, checkpoint, stopAtStep, the last step), so results are bit-identical to one step per run
 * (onnxruntime runs the Loop body with the same kernels as the plain step graph).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { input } from '../engine/ops.js';
import { adam } from '../engine/optim.js';
import { Random } from '../engine/random.js';
import { TrainStep } from '../engine/trainStep.js';
import type { Tensor } from '../engine/tensor.js';
import {
  CheckpointError,
  loadCheckpoint,
  parameterGroup,
  restoreParameters,
  saveCheckpoint,
  type TensorGroup,
} from '../engine/checkpoint.js';
import { ConfigError } from '../models/config.js';
import { exampleSize, hasLabels, type Source } from '../data/dataset.js';
import { toBatch, type Preprocess } from '../data/batches.js';
import type { LatentVariableModel, ObjectiveInputs, StepOutput } from '../models/types.js';
import { Evaluator } from '../eval/evaluate.js';
import { LatentEvolution } from '../eval/evolution.js';
import { classifySource, isClassifierModel } from '../eval/classification.js';
import { drawNoise, noiseInputs } from '../models/noise.js';
import type { TrainConfig } from './config.js';
import { checkFinite } from './finite.js';
import { createProgress, type ProgressReporter } from './progress.js';
import { checkpointDir, type FoundCheckpoint } from './checkpoints.js';
import { appendMetrics, type StepRecord } from './metricsLog.js';
import type { RunPaths } from './runDir.js';
import { learningRate, type SchedulePosition } from './schedules.js';
import type { StepFeed } from './labelledFeed.js';

/** Builds the objective's record for a batch: the trainer supplies x, the noise, β/C and any {@link TrainSetup.extraInputs}. */
export type ObjectiveBuilder = (
  x: Tensor,
  noise: Record<string, Tensor>,
  inputs: ObjectiveInputs,
  extra: Record<string, Tensor>,
) => StepOutput;

/** Everything {@link train} needs. */
export interface TrainSetup {
  readonly model: LatentVariableModel;
  readonly objective: ObjectiveBuilder;
  /** Importance samples per example in the training graph (1 for a plain VAE). */
  readonly k: number;
  /**
   * The per-step objective inputs β and C at a 0-based step (KL warm-up, capacity ramp), e.g.
   * `objectiveInputsAt` of the objectives module.
   */
  readonly inputsAt: (step: number) => { beta: number; capacity: number };
  readonly config: TrainConfig;
  readonly train: Source;
  readonly validation?: Source;
  /** How examples become inputs (see {@link preprocessFor}). */
  readonly preprocess: Preprocess;
  /** The run directory (metrics.jsonl, checkpoints/); nothing is written when absent. */
  readonly paths?: RunPaths;
  /** Continue from this checkpoint of the run (see `checkpoints.ts`'s `newestCheckpoint`). */
  readonly resume?: FoundCheckpoint;
  readonly progress?: ProgressReporter;
  /** Stop (with a checkpoint) after this many steps in all, as if interrupted (tests). */
  readonly stopAtStep?: number;
  /** When aborted (Ctrl-C, SIGTERM), training stops after the current run of steps, checkpoints and returns 'interrupted'. */
  readonly signal?: AbortSignal;
  /** More per-step inputs the objective reads (M2's labelled batch), filled as a function of the step. */
  readonly extraInputs?: StepFeed;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Updates applied in all (including those before a resume). */
  readonly steps: number;
  /** Fractional epochs done. */
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** 'done', 'early-stopped' (patience exhausted; best parameters restored), 'interrupted' (stopAtStep or the signal). */
  readonly reason: 'done' | 'early-stopped' | 'interrupted';
  /** The last logged step's terms. */
  readonly last: Record<string, number>;
  readonly bestValidationElbo: number | null;
  /** Training seconds per epoch (validation excluded), over all the run's processes. */
  readonly secPerEpoch: number;
  /** Median milliseconds per training step (a run's time divided by its steps) in the last process that trained. */
  readonly msPerStep: number;
}

/**
 * The preprocessing for a binarization choice and a source ('raw' for real-valued data); `dequantize`
 * turns grey levels of 8-bit data into (pixel + u)/256 (data/dequantize.ts).
 */
export function preprocessFor(binarize: TrainConfig['binarize'], source: Source, dequantize = false): Preprocess {
  if (source.range === 'real') return 'raw';
  if (binarize === 'dynamic') return 'dynamic-binarize';
  return dequantize && source.range === 'uint8' ? 'dequantize' : 'grey';
}

/** Position and generator states saved with each checkpoint. */
interface LoopState {
  epoch: number;
  batchInEpoch: number;
  epochShuffleState: number[];
  rng: { shuffle: number[]; binarize: number[]; noise: number[] };
  bestValidationElbo: number | null;
  badValidations: number;
  /** Training time so far (all processes), and the median step time of the last process that trained. */
  timing?: { seconds: number; steps: number; msPerStep: number };
  /** The last step's terms, so a run resumed at its end still reports them. */
  last?: Record<string, number>;
}

/** A `best` checkpoint that does not verify is left out (resume then keeps no best parameters); other errors are bugs. */
const skipUnreadable = (e: unknown): null => {
  if (e instanceof CheckpointError) return null;
  throw e;
};

const LATEST = 'latest';
const BEST = 'best';
const FINAL = 'final';

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Trains `setup.model` in place. Throws {@link NonFiniteError} (from `finite.ts`) when a step
 * returns a NaN or an infinity, after saving nothing for that step (the last checkpoint stays).
 */
export async function train(setup: TrainSetup): Promise<TrainResult> {
  const { model, config, paths } = setup;
  const B = config.batch;
  const n = setup.train.n;
  const stepsPerEpoch = Math.floor(n / B);
  if (stepsPerEpoch < 1) throw new ConfigError(`batch ${B} is larger than the ${n} training examples; lower --batch`);
  if (exampleSize(setup.train) !== model.dataSize) {
    throw new ConfigError(`the data has ${exampleSize(setup.train)} values per example, the model expects ${model.dataSize}`);
  }
  const totalSteps = Math.min(config.maxSteps ?? Infinity, Math.ceil(config.epochs * stepsPerEpoch));

  // The graph: x, noise, β and C are inputs; the objective decides what to do with them.
  const x = input('x', [B, model.dataSize]);
  const specs = model.noise(B, setup.k);
  const noise = noiseInputs(specs);
  const beta = input('beta', []);
  const capacity = input('capacity', []);
  const extraSpecs = setup.extraInputs?.specs ?? [];
  const extra = noiseInputs(extraSpecs);
  const out = setup.objective(x, noise, { beta, capacity }, extra);
  const metrics: Record<string, Tensor> = { elbo: out.elbo, reconstruction: out.reconstruction, kl: out.kl };
  if (out.klPerLatent) metrics.klPerLatent = out.klPerLatent;
  const step = await TrainStep.create(
    {
      loss: out.loss,
      metrics,
      inputs: [x, ...Object.values(noise), ...Object.values(extra), beta, capacity],
      optimizer: adam({ eps: config.adamEps }),
      clipNorm: config.clipNorm,
    },
    { threads: config.threads, stepsPerRun: config.stepsPerRun },
  );
  const params = model.store.all();

  const root = new Random(config.seed + 0x9e3779b1);
  const rng = { shuffle: root.split(), binarize: root.split(), noise: root.split() };
  const st: LoopState = {
    epoch: 0,
    batchInEpoch: 0,
    epochShuffleState: rng.shuffle.getState(),
    rng: { shuffle: [], binarize: [], noise: [] },
    bestValidationElbo: null,
    badValidations: 0,
  };
  let bestParams: TensorGroup | null = null;
  // The step of the newest checkpoint on disk, for the divergence message.
  let savedStep: number | null = null;

  if (setup.resume) {
    if (!paths) throw new Error('resume needs a run directory');
    const { dir, contents: ck } = setup.resume;
    restoreParameters(params, ck.groups.model, dir);
    step.restoreState(ck.groups.optimizer ?? {}, ck.step, dir);
    savedStep = ck.step;
    Object.assign(st, ck.metadata as LoopState);
    rng.binarize.setState(st.rng.binarize);
    rng.noise.setState(st.rng.noise);
    if (setup.resume.name === BEST) bestParams = ck.groups.model;
    else if (existsSync(checkpointDir(paths, BEST)))
      bestParams = (await loadCheckpoint(checkpointDir(paths, BEST)).catch(skipUnreadable))?.groups.model ?? null;
  }
  const before = st.timing ?? { seconds: 0, steps: 0, msPerStep: NaN };

  const timing = () => ({
    seconds: before.seconds + trainSeconds,
    steps: before.steps + stepsTimed,
    msPerStep: stepsTimed > 0 ? median(durations) : before.msPerStep,
  });
  const save = async (name: string, group?: TensorGroup): Promise<void> => {
    if (!paths) return;
    const state: LoopState = {
      ...st,
      rng: { shuffle: rng.shuffle.getState(), binarize: rng.binarize.getState(), noise: rng.noise.getState() },
      timing: timing(),
      last,
    };
    const optimizer = step.stateGroup();
    const dir = checkpointDir(paths, name);
    await mkdir(dir, { recursive: true });
    await saveCheckpoint(dir, { step: step.step, groups: { model: group ?? parameterGroup(params), optimizer }, metadata: state });
    if (name === LATEST) savedStep = step.step;
  };

  const evaluator = setup.validation
    ? new Evaluator(model, { batch: 100, threads: config.threads, preprocess: setup.preprocess, seed: config.seed, diagnostics: false })
    : null;
  const evolution =
    setup.validation && !model.deterministic
      ? new LatentEvolution(model, setup.validation, { threads: config.threads, preprocess: setup.preprocess, seed: config.seed })
      : null;
  const classifiesValidation = setup.validation !== undefined && hasLabels(setup.validation) && isClassifierModel(model);
  const progress = setup.progress ?? createProgress({ mode: 'silent' });
  // Input buffers for S steps stacked along a leading axis; step i of a run fills slice i, a single step slice 0.
  const S = config.stepsPerRun;
  const xbuf = new Float32Array(S * B * model.dataSize);
  const noiseSizes = specs.map((sp) => [sp.name, sp.shape.reduce((a, b) => a * b, 1)] as const);
  const noiseBufs = Object.fromEntries(noiseSizes.map(([name, size]) => [name, new Float32Array(S * size)]));
  const extraSizes = extraSpecs.map((sp) => [sp.name, sp.shape.reduce((a, b) => a * b, 1)] as const);
  const extraBufs = Object.fromEntries(extraSizes.map(([name, size]) => [name, new Float32Array(S * size)]));
  const slot = (i: number) => ({
    x: xbuf.subarray(i * B * model.dataSize, (i + 1) * B * model.dataSize),
    noise: Object.fromEntries(noiseSizes.map(([name, size]) => [name, noiseBufs[name].subarray(i * size, (i + 1) * size)])),
    extra: Object.fromEntries(extraSizes.map(([name, size]) => [name, extraBufs[name].subarray(i * size, (i + 1) * size)])),
  });
  const slots = Array.from({ length: S }, (_, i) => slot(i));
  const durations: number[] = [];
  let stepsTimed = 0;
  let trainSeconds = 0;
  const t0 = performance.now();
  let reason: TrainResult['reason'] = 'done';
  let last: Record<string, number> = st.last ?? {};

  // The current epoch's permutation, drawn from the shuffle state at its start (fresh or resumed).
  rng.shuffle.setState(st.epochShuffleState);
  let order = rng.shuffle.permutation(n);

  // Steps until the next event (end of epoch, checkpoint, stopAtStep, totalSteps), the event's step included:
  // a looped run of S steps never crosses one, so each event sees the same state as with single steps.
  const stepsToEvent = (): number =>
    Math.min(
      stepsPerEpoch - st.batchInEpoch,
      totalSteps - step.step,
      setup.stopAtStep !== undefined ? setup.stopAtStep - step.step : Infinity,
      config.checkpointEvery > 0 ? config.checkpointEvery - (step.step % config.checkpointEvery) : Infinity,
    );

  progress.start(totalSteps, step.step);
  try {
    run: while (step.step < totalSteps) {
      if ((setup.stopAtStep !== undefined && step.step >= setup.stopAtStep) || setup.signal?.aborted) {
        reason = 'interrupted';
        break;
      }
      const ts = performance.now();
      const first = step.step;
      const count = S > 1 && stepsToEvent() >= S ? S : 1;
      // The batches, pixel draws and noise of steps first+1 .. first+count, in the order single steps draw them.
      const lrs: number[] = [];
      const betas = new Float32Array(count);
      const capacities = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const b = st.batchInEpoch + i;
        toBatch(setup.train, order.subarray(b * B, (b + 1) * B), { preprocess: setup.preprocess, rng: rng.binarize, out: slots[i].x });
        drawNoise(specs, rng.noise, slots[i].noise);
        setup.extraInputs?.fill(first + i, slots[i].extra);
        const pos: SchedulePosition = { step: first + i, stepsPerEpoch, totalSteps };
        lrs.push(learningRate(config.lrSchedule, config.lr, pos));
        ({ beta: betas[i], capacity: capacities[i] } = setup.inputsAt(first + i));
      }
      const feeds = count === 1 ? { x: slots[0].x, ...slots[0].noise, ...slots[0].extra } : { x: xbuf, ...noiseBufs, ...extraBufs };
      const out = await step.runSteps({ ...feeds, beta: betas, capacity: capacities }, lrs);
      const dt = performance.now() - ts;
      trainSeconds += dt / 1000;
      for (let i = 0; i < count; i++) durations.push(dt / count);
      stepsTimed += count;
      if (durations.length > 20000) durations.splice(0, 10000);
      const kept =
        savedStep === null
          ? 'no checkpoint was written (--checkpoint-every N keeps one)'
          : `checkpoints/latest (step ${savedStep}) is kept`;

      for (let i = 0; i < count; i++) {
        // Step first+i+1 (1-based) of this run: its slice of each stacked metric.
        const t = first + i + 1;
        const res = Object.fromEntries(
          Object.entries(out).map(([k, v]) => [k, v.subarray((i * v.length) / count, ((i + 1) * v.length) / count)]),
        );
        checkFinite(res, t, i === count - 1 ? params : [], kept);
        const [lr, betaT, capT] = [lrs[i], betas[i], capacities[i]];
        st.batchInEpoch++;
        const epochEnded = st.batchInEpoch === stepsPerEpoch;
        if (epochEnded) {
          st.epoch++;
          st.batchInEpoch = 0;
          st.epochShuffleState = rng.shuffle.getState();
          order = rng.shuffle.permutation(n);
        }
        const epochF = st.epoch + st.batchInEpoch / stepsPerEpoch;
        last = {
          loss: res.loss[0],
          elbo: res.elbo[0],
          reconstruction: res.reconstruction[0],
          kl: res.kl[0],
          lr,
          beta: betaT,
          capacity: capT,
        };
        progress.update({ step: t, epoch: epochF, loss: res.loss[0], elbo: res.elbo[0], kl: res.kl[0], lr, beta: betaT });
        if (paths && (t % config.logEvery === 0 || t === totalSteps)) {
          const rec: StepRecord = {
            kind: 'train',
            step: t,
            epoch: epochF,
            loss: res.loss[0],
            elbo: res.elbo[0],
            reconstruction: res.reconstruction[0],
            kl: res.kl[0],
            ...(res.klPerLatent ? { klPerLatent: Array.from(res.klPerLatent) } : {}),
            lr,
            beta: betaT,
            capacity: capT,
            time: (performance.now() - t0) / 1000,
          };
          appendMetrics(paths, rec);
        }

        // Events fall on a run's last step only (see stepsToEvent), where t = step.step.
        if (epochEnded && evaluator && setup.validation && st.epoch % config.validateEvery === 0) {
          const v = await evaluator.evaluate(setup.validation, { k: 0 });
          const latents = evolution ? await evolution.measure() : undefined;
          const error = classifiesValidation
            ? (await classifySource(model, setup.validation, { threads: config.threads, preprocess: setup.preprocess, seed: config.seed }))
                .testError
            : undefined;
          if (paths)
            appendMetrics(paths, {
              kind: 'validation',
              step: t,
              epoch: st.epoch,
              elbo: v.elbo,
              time: (performance.now() - t0) / 1000,
              latents,
              error,
            });
          const errorText = error === undefined ? '' : `, error ${(100 * error).toFixed(2)} %`;
          progress.log(`epoch ${st.epoch}: validation ELBO ${v.elbo.toFixed(3)}${errorText}`);
          if (st.bestValidationElbo === null || v.elbo > st.bestValidationElbo) {
            st.bestValidationElbo = v.elbo;
            st.badValidations = 0;
            bestParams = Object.fromEntries(params.map((p) => [p.name, { shape: p.shape, data: Float32Array.from(p.value) }]));
            await save(BEST, bestParams);
          } else if (config.patience > 0 && ++st.badValidations >= config.patience) {
            reason = 'early-stopped';
            progress.log(
              `early stopping at epoch ${st.epoch}: no better validation ELBO in ${config.patience} validations (best ${st.bestValidationElbo.toFixed(3)})`,
            );
            break run;
          }
        }
        if (config.checkpointEvery > 0 && t % config.checkpointEvery === 0) await save(LATEST);
      }
    }
  } finally {
    progress.stop();
  }
  await save(LATEST);
  if (reason === 'early-stopped' && bestParams) restoreParameters(params, bestParams, 'best parameters');
  if (reason !== 'interrupted') await save(FINAL);

  const epochsDone = step.step / stepsPerEpoch;
  const all = timing();
  return {
    steps: step.step,
    epochs: epochsDone,
    stepsPerEpoch,
    reason,
    last,
    bestValidationElbo: st.bestValidationElbo,
    secPerEpoch: all.steps > 0 ? (all.seconds / all.steps) * stepsPerEpoch : NaN,
    msPerStep: all.msPerStep,
  };
}
