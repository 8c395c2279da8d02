/**
 * The Lab's training session: one model, its objective and its {@link TrainStep}, trained step by
 * step on an in-memory data set, plus the forward graphs the Lab's views read (encoder means and
 * variances, decoder at chosen z). Browser-safe (no Node built-in): the page's worker runs it on
 * onnxruntime-web, the parity test runs the very same code on onnxruntime-node.
 */
import { input } from '../engine/ops.js';
import { adam } from '../engine/optim.js';
import { Random } from '../engine/random.js';
import { GraphFunction } from '../engine/function.js';
import { CheckpointError, type TensorGroup } from '../engine/safetensors.js';
import { TrainStep } from '../engine/trainStep.js';
import type { Tensor } from '../engine/tensor.js';
import { toBatch, type Preprocess } from '../data/batches.js';
import type { Dataset } from '../data/dataset.js';
import { termsGraph, type ModelGraph } from '../eval/graphs.js';
import { drawNoise, noiseInputs } from '../models/noise.js';
import { parseModelConfig, type ModelConfig } from '../models/config.js';
import { createModel } from '../models/registry.js';
import type { LatentVariableModel, NoiseSpec } from '../models/types.js';
import { buildObjective, objectiveInputsAt, parseObjectiveConfig, type ObjectiveConfig } from '../objectives/config.js';
import type { StepRecord } from '../train/metricsLog.js';

/** The switches of the Lab (issue #16): what the user sets in the page. */
export interface LabSettings {
  /** Data: a 2-D toy set or the bundled MNIST subset. */
  readonly dataset: 'rings' | 'pinwheel' | 'gmm' | 'mnist';
  /** Deterministic autoencoder or VAE (seed 000). */
  readonly kind: 'ae' | 'vae';
  /** p(x|z): Bernoulli, Gaussian with learned σ_x(z), or Gaussian with σ_x fixed to `sigma` (seed 004 §5.3). */
  readonly decoder: 'bernoulli' | 'gaussian' | 'gaussian-fixed';
  /** σ_x of 'gaussian-fixed'. */
  readonly sigma: number;
  /** β of the β-VAE objective (fed per step: changing it does not rebuild). */
  readonly beta: number;
  /** Latent size d. */
  readonly latent: number;
  /** KL warm-up: β ramps from 0 over this many steps (0: off). */
  readonly warmupSteps: number;
  /** Free bits λ in nats per latent (0: off; replaces β, seed 002). */
  readonly freeBits: number;
  /** Adam's learning rate (fed per step). */
  readonly lr: number;
  readonly batch: number;
  readonly hidden: readonly number[];
  readonly seed: number;
}

/** Defaults per data set: small nets that learn within seconds in a page. */
export function defaultSettings(dataset: LabSettings['dataset']): LabSettings {
  const image = dataset === 'mnist';
  return {
    dataset,
    kind: 'vae',
    decoder: image ? 'bernoulli' : 'gaussian-fixed',
    sigma: 0.1,
    beta: 1,
    latent: 2,
    warmupSteps: 0,
    freeBits: 0,
    lr: image ? 1e-3 : 3e-3,
    batch: image ? 64 : 128,
    hidden: image ? [256] : [64, 64],
    seed: 1,
  };
}

/** One step's terms, as the Lab plots them. */
export interface LabStep {
  step: number;
  loss: number;
  elbo: number;
  reconstruction: number;
  kl: number;
  beta: number;
}

/** The model and objective configs a Lab session trains (also what its checkpoint's config.json records). */
export function labConfigs(s: LabSettings, dataShape: readonly number[]): { model: ModelConfig; objective: ObjectiveConfig } {
  const model = parseModelConfig({
    kind: s.kind,
    decoder: s.decoder,
    sigma: s.sigma,
    latent: s.latent,
    hidden: [...s.hidden],
    dataShape: [...dataShape],
  });
  const kind = s.kind === 'ae' ? 'elbo' : s.freeBits > 0 ? 'free-bits' : s.warmupSteps > 0 ? 'warmup' : 'beta';
  const objective = parseObjectiveConfig({ kind, beta: s.beta, warmupSteps: s.warmupSteps, freeBits: { lambda: s.freeBits, groups: 1 } });
  return { model, objective };
}

/** Points (or images) the views are computed on, and the decode batch size. */
const VIEW_N = 512;

/** A model in training, with its views. */
export class LabSession {
  /** Steps taken. */
  get step(): number {
    return this.trainStep.step;
  }

  /** Every step's terms in metrics.jsonl's format (the downloaded run's curves). */
  readonly history: StepRecord[] = [];
  private readonly started = performance.now();
  private order: Uint32Array;
  private position = 0;
  private readonly x: Float32Array;
  private readonly noise: Record<string, Float32Array> = {};

  private constructor(
    readonly settings: LabSettings,
    readonly data: Dataset,
    readonly model: LatentVariableModel,
    readonly objective: ObjectiveConfig,
    private readonly trainStep: TrainStep,
    private readonly specs: readonly NoiseSpec[],
    private readonly preprocess: Preprocess,
    private readonly rng: { shuffle: Random; binarize: Random; noise: Random; views: Random },
    private readonly encoder: ModelGraph,
    private readonly decoder: GraphFunction,
  ) {
    this.order = rng.shuffle.permutation(data.n);
    this.x = new Float32Array(settings.batch * model.dataSize);
  }

  /** Builds the model (initialised from `settings.seed`), the step graph and the view graphs. */
  static async create(settings: LabSettings, data: Dataset, opts: { threads?: number } = {}): Promise<LabSession> {
    const { model: modelConfig, objective } = labConfigs(settings, data.shape);
    const model = createModel(modelConfig, { seed: settings.seed });
    const B = settings.batch;
    const x = input('x', [B, model.dataSize]);
    const specs = model.noise(B, 1);
    const noise = noiseInputs(specs);
    const beta = input('beta', []);
    const capacity = input('capacity', []);
    const out = buildObjective(model, x, noise, objective, { beta, capacity });
    const metrics: Record<string, Tensor> = { elbo: out.elbo, reconstruction: out.reconstruction, kl: out.kl };
    const trainStep = await TrainStep.create(
      { loss: out.loss, metrics, inputs: [x, ...Object.values(noise), beta, capacity], optimizer: adam() },
      { threads: opts.threads },
    );
    // Same seeding scheme as train/trainer.ts: one root, split into shuffle, binarization and noise.
    const root = new Random(settings.seed + 0x9e3779b1);
    const rng = { shuffle: root.split(), binarize: root.split(), noise: root.split(), views: root.split() };
    const encoder = await termsGraph(model, VIEW_N, 1, opts.threads);
    const z = input('z', [VIEW_N, model.latentSize]);
    const std = model.decodeStd(z);
    const decoder = await GraphFunction.create<string>(
      { inputs: [z], outputs: { mean: model.decodeMean(z), ...(std ? { std } : {}) }, name: 'lab_decode' },
      opts,
    );
    const preprocess: Preprocess = data.range === 'real' ? 'raw' : settings.decoder === 'bernoulli' ? 'dynamic-binarize' : 'grey';
    return new LabSession(settings, data, model, objective, trainStep, specs, preprocess, rng, encoder, decoder);
  }

  /** β and the learning rate can change between steps without rebuilding anything. */
  private beta = NaN;
  private lr = NaN;

  /** Sets the β (ramped by the warm-up, when on) and learning rate of the next steps. */
  setHyper(h: { beta?: number; lr?: number }): void {
    if (h.beta !== undefined) this.beta = h.beta;
    if (h.lr !== undefined) this.lr = h.lr;
  }

  /** Takes `n` training steps; returns each step's terms. */
  async train(n: number): Promise<LabStep[]> {
    const B = this.settings.batch;
    const out: LabStep[] = [];
    const objective = Number.isNaN(this.beta) ? this.objective : { ...this.objective, beta: this.beta };
    const lr = Number.isNaN(this.lr) ? this.settings.lr : this.lr;
    for (let i = 0; i < n; i++) {
      if (this.position + B > this.data.n) {
        this.order = this.rng.shuffle.permutation(this.data.n);
        this.position = 0;
      }
      toBatch(this.data, this.order.subarray(this.position, this.position + B), {
        preprocess: this.preprocess,
        rng: this.rng.binarize,
        out: this.x,
      });
      this.position += B;
      drawNoise(this.specs, this.rng.noise, this.noise);
      const { beta, capacity } = objectiveInputsAt(objective, this.trainStep.step);
      const r = await this.trainStep.run({ x: this.x, ...this.noise, beta, capacity }, lr);
      const terms = { step: this.trainStep.step, loss: r.loss[0], elbo: r.elbo[0], reconstruction: r.reconstruction[0], kl: r.kl[0], beta };
      out.push(terms);
      this.history.push({
        kind: 'train',
        ...terms,
        epoch: (terms.step * B) / this.data.n,
        lr,
        capacity,
        time: (performance.now() - this.started) / 1000,
      });
    }
    return out;
  }

  /**
   * The posterior q(z|x) = N(μ(x), σ²(x)) of the first {@link VIEW_N} training examples (preprocessed
   * as in training), [N, d] each, with their labels.
   */
  async posteriors(): Promise<{ mu: Float32Array; logVar: Float32Array; labels: Int32Array | null; n: number; d: number }> {
    const n = Math.min(VIEW_N, this.data.n);
    const x = new Float32Array(VIEW_N * this.model.dataSize);
    toBatch(
      this.data,
      Uint32Array.from({ length: n }, (_, i) => i),
      {
        preprocess: this.preprocess === 'dynamic-binarize' ? 'grey' : this.preprocess,
        rng: this.rng.views,
        out: x.subarray(0, n * this.model.dataSize),
      },
    );
    const noise = drawNoise(this.encoder.noise, this.rng.views);
    const r = await this.encoder.run({ x, ...noise }, ['mu', 'logVar']);
    const d = this.model.latentSize;
    const labels = this.data.labels ? Int32Array.from(this.data.labels.subarray(0, n)) : null;
    return { mu: r.mu.subarray(0, n * d), logVar: r.logVar.subarray(0, n * d), labels, n, d };
  }

  /** The decoder's mean μ_x(z) and σ_x(z) (null for Bernoulli) at up to {@link VIEW_N} latent points z [m, d]. */
  async decode(z: Float32Array): Promise<{ mean: Float32Array; std: Float32Array | null }> {
    const d = this.model.latentSize;
    const m = z.length / d;
    if (m > VIEW_N) throw new Error(`LabSession.decode: at most ${VIEW_N} points, got ${m}`);
    const feed = new Float32Array(VIEW_N * d);
    feed.set(z);
    const r = await this.decoder.run({ z: feed });
    const D = this.model.dataSize;
    return { mean: (r.mean as Float32Array).subarray(0, m * D), std: r.std ? (r.std as Float32Array).subarray(0, m * D) : null };
  }

  /** `m` draws z ~ N(0, I) from the views' generator, [m, d]. */
  priorDraws(m: number, seed: number): Float32Array {
    const z = new Float32Array(m * this.model.latentSize);
    new Random(seed).fillNormal(z);
    return z;
  }

  /**
   * Sets the parameters (shapes must match), the step count and Adam's moments from `optimizer` (a
   * checkpoint's `optimizer` group), e.g. from an opened run's checkpoint. Without that group, or when it
   * does not fit this session's optimizer (a run trained with other parameters or another optimizer),
   * the moments start again from zero, and the returned sentence says so; otherwise returns undefined.
   */
  restore(
    params: Record<string, { shape: readonly number[]; data: Float32Array }>,
    step: number,
    optimizer: TensorGroup | null = null,
  ): string | undefined {
    for (const p of this.model.store.all()) {
      const t = params[p.name];
      if (!t || t.data.length !== p.value.length)
        throw new Error(
          `the checkpoint's parameter '${p.name}' is ${t ? `[${t.shape.join(',')}]` : 'missing'}, the model has [${p.shape.join(',')}]`,
        );
      p.value = Float32Array.from(t.data);
    }
    if (optimizer === null) {
      this.trainStep.restoreState(null, step);
      return "the run has no optimizer state: Adam's moments start at zero";
    }
    try {
      this.trainStep.restoreState(optimizer, step, 'the opened run');
      return undefined;
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      this.trainStep.restoreState(null, step);
      return `${e.message}: Adam's moments start at zero`;
    }
  }

  /** A copy of the optimizer state (the checkpoint's `optimizer` group). */
  optimizerState(): TensorGroup {
    return Object.fromEntries(
      Object.entries(this.trainStep.stateGroup()).map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]),
    );
  }

  /** The current parameters by name (the checkpoint's `model` group). */
  parameters(): Record<string, { shape: readonly number[]; data: Float32Array }> {
    return Object.fromEntries(this.model.store.all().map((p) => [p.name, { shape: p.shape, data: Float32Array.from(p.value) }]));
  }
}

/** Points a decode batch can hold. */
export const LAB_VIEW_POINTS = VIEW_N;
