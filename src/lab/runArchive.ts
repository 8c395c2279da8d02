/**
 * A trained Lab model as a vaelab run directory in a zip: `<name>/config.json`, `<name>/metrics.jsonl`
 * (the steps taken in the page) and `<name>/checkpoints/final/` in the "vaelab-checkpoint" v1 format of engine/checkpoint.ts (manifest
 * plus one safetensors file). `vaelab eval <name>.zip` unpacks it beside the zip (`unpack.ts`) and
 * evaluates it; `report` and `serve` then read the unpacked folder. {@link openRunArchive} reads such a zip
 * (or any zipped run directory of a model the Lab can show) back into the Lab. Browser-safe: fflate writes the zip,
 * @noble/hashes the SHA-256 the manifest records.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readSafetensors, writeSafetensors, type TensorGroup } from '../engine/safetensors.js';
import { labConfigs, type LabSession, type LabSettings } from './session.js';

/** The run configuration (config.json) of a Lab session: what `vaelab train` would have been given. */
export function labRunConfig(session: LabSession): Record<string, unknown> {
  const s = session.settings;
  const { model, objective } = labConfigs(s, session.data.shape);
  const image = s.dataset === 'mnist';
  return {
    model,
    objective,
    train: {
      dataset: s.dataset,
      seed: s.seed,
      batch: s.batch,
      lr: s.lr,
      maxSteps: Math.max(1, session.step),
      ...(image ? (s.decoder === 'bernoulli' ? { binarize: 'dynamic' } : { binarize: 'none', dequantize: false }) : {}),
      ...(image ? { trainN: session.data.n } : {}),
    },
    eval: {},
  };
}

/**
 * The zip of the run directory `name` holding the session's current parameters and Adam's moments as
 * checkpoint `final` (groups `model` and `optimizer`, as the trainer writes them).
 */
export function labRunArchive(session: LabSession, name: string): Uint8Array {
  const step = session.step;
  const checkpoint: Record<string, Uint8Array> = {};
  const files: Record<string, { file: string; bytes: number; sha256: string; tensors: string[] }> = {};
  for (const [group, tensors] of Object.entries({ model: session.parameters(), optimizer: session.optimizerState() })) {
    const bytes = writeSafetensors(tensors, { format: 'pt', producer: 'vaelab-lab', step: String(step) });
    const digest = bytesToHex(sha256(bytes));
    const file = `${group}-${digest.slice(0, 12)}.safetensors`;
    checkpoint[file] = bytes;
    files[group] = { file, bytes: bytes.length, sha256: digest, tensors: Object.keys(tensors).sort() };
  }
  const manifest = { format: 'vaelab-checkpoint', version: 1, step, files, metadata: { producer: 'vaelab lab' } };
  const json = (v: unknown): Uint8Array => strToU8(JSON.stringify(v, null, 2) + '\n');
  return zipSync({
    [name]: {
      'config.json': json(labRunConfig(session)),
      'metrics.jsonl': strToU8(session.history.map((r) => JSON.stringify(r) + '\n').join('')),
      checkpoints: { final: { 'checkpoint.json': json(manifest), ...checkpoint } },
    },
  });
}

/**
 * A run opened in the Lab: its settings, the parameters of its newest checkpoint, that checkpoint's
 * step, and its optimizer state (null when the checkpoint has none).
 */
export interface OpenedRun {
  settings: LabSettings;
  params: TensorGroup;
  step: number;
  optimizer: TensorGroup | null;
}

const LAB_DATASETS: readonly string[] = ['rings', 'pinwheel', 'gmm', 'mnist'];

/**
 * The Lab settings of a run's config.json, or an Error saying why the Lab cannot show that run (it
 * shows MLP VAEs and AEs with a standard prior and a Bernoulli or Gaussian decoder on its data sets).
 */
export function labSettingsOf(config: {
  model?: Record<string, unknown>;
  objective?: Record<string, unknown>;
  train?: Record<string, unknown>;
}): LabSettings {
  const m = config.model ?? {};
  const o = config.objective ?? {};
  const t = config.train ?? {};
  const why: string[] = [];
  if (m.kind !== 'vae' && m.kind !== 'ae') why.push(`model kind '${String(m.kind)}' (the Lab trains 'vae' and 'ae')`);
  if (!['bernoulli', 'gaussian', 'gaussian-fixed'].includes(String(m.decoder))) why.push(`decoder '${String(m.decoder)}'`);
  if ((m.architecture ?? 'mlp') !== 'mlp' || (m.prior ?? 'standard') !== 'standard' || Number(m.flowSteps ?? 0) > 0)
    why.push('a conv/gated network, a learned prior or a flow');
  if (m.decoderHidden !== undefined || (m.activation ?? 'relu') !== 'relu') why.push("a decoder or activation other than the Lab's");
  if (!LAB_DATASETS.includes(String(t.dataset))) why.push(`data set '${String(t.dataset)}' (the Lab has ${LAB_DATASETS.join(', ')})`);
  if (why.length > 0) throw new Error(`the Lab cannot show this run: ${why.join('; ')}`);
  const free = o.kind === 'free-bits' ? Number((o.freeBits as { lambda?: number } | undefined)?.lambda ?? 0.5) : 0;
  return {
    dataset: t.dataset as LabSettings['dataset'],
    kind: m.kind as LabSettings['kind'],
    decoder: m.decoder as LabSettings['decoder'],
    sigma: Number(m.sigma ?? 1),
    beta: Number(o.beta ?? 1),
    latent: Number(m.latent),
    warmupSteps: o.kind === 'warmup' ? Number(o.warmupSteps ?? 0) : 0,
    freeBits: free,
    lr: Number(t.lr ?? 1e-3),
    batch: Number(t.batch ?? 100),
    hidden: (m.hidden as number[] | undefined) ?? [512, 512],
    seed: Number(t.seed ?? 0),
  };
}

/** Reads a run zip (one run folder: config.json and checkpoints/final, latest or best). */
export function openRunArchive(bytes: Uint8Array): OpenedRun {
  const files = unzipSync(bytes);
  const configName = Object.keys(files).find((n) => /^[^/]+\/config\.json$/.test(n));
  if (!configName) throw new Error('no run folder with a config.json in this zip (zip the run directory itself: zip -r run.zip RUN_DIR)');
  const top = configName.slice(0, configName.indexOf('/'));
  const settings = labSettingsOf(JSON.parse(strFromU8(files[configName])) as Parameters<typeof labSettingsOf>[0]);
  for (const name of ['final', 'latest', 'best']) {
    const manifest = files[`${top}/checkpoints/${name}/checkpoint.json`];
    if (!manifest) continue;
    const m = JSON.parse(strFromU8(manifest)) as { step: number; files: Record<string, { file: string }> };
    const group = (key: string): TensorGroup | null => {
      const file = m.files[key]?.file;
      if (file === undefined) return null;
      const data = files[`${top}/checkpoints/${name}/${file}`];
      if (!data) throw new Error(`checkpoints/${name} names ${file}, which the zip lacks`);
      return readSafetensors(data, file).tensors;
    };
    const params = group('model');
    if (!params) throw new Error(`checkpoints/${name}/checkpoint.json names no model file`);
    return { settings, params, step: m.step, optimizer: group('optimizer') };
  }
  throw new Error(`${top} has no checkpoint (checkpoints/final, latest or best)`);
}
