/**
 * A trained Lab model as a vaelab run directory in a zip: `<name>/config.json` and
 * `<name>/checkpoints/final/` in the "vaelab-checkpoint" v1 format of engine/checkpoint.ts (manifest
 * plus one safetensors file). `vaelab eval <name>.zip` unpacks it beside the zip (`unpack.ts`) and
 * evaluates it; `report` and `serve` then read the unpacked folder. Browser-safe: fflate writes the zip,
 * @noble/hashes the SHA-256 the manifest records.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { strToU8, zipSync } from 'fflate';
import { writeSafetensors } from '../engine/safetensors.js';
import { labConfigs, type LabSession } from './session.js';

/** The run configuration (config.json) of a Lab session: what `vaelab train` would have been given. */
export function labRunConfig(session: LabSession): Record<string, unknown> {
  const s = session.settings;
  const { model, objective } = labConfigs(s, session.data.shape);
  const image = s.dataset === 'mnist';
  return {
    model,
    objective,
    train: {
      dataset: s.dataset, seed: s.seed, batch: s.batch, lr: s.lr, maxSteps: Math.max(1, session.step),
      ...(image ? (s.decoder === 'bernoulli' ? { binarize: 'dynamic' } : { binarize: 'none', dequantize: false }) : {}),
      ...(image ? { trainN: session.data.n } : {}),
    },
    eval: {},
  };
}

/** The zip of the run directory `name` holding the session's current parameters as checkpoint `final`. */
export function labRunArchive(session: LabSession, name: string): Uint8Array {
  const step = session.step;
  const bytes = writeSafetensors(session.parameters(), { format: 'pt', producer: 'vaelab-lab', step: String(step) });
  const digest = bytesToHex(sha256(bytes));
  const file = `model-${digest.slice(0, 12)}.safetensors`;
  const manifest = {
    format: 'vaelab-checkpoint', version: 1, step,
    files: { model: { file, bytes: bytes.length, sha256: digest, tensors: Object.keys(session.parameters()).sort() } },
    metadata: { producer: 'vaelab lab' },
  };
  const json = (v: unknown): Uint8Array => strToU8(JSON.stringify(v, null, 2) + '\n');
  return zipSync({
    [name]: {
      'config.json': json(labRunConfig(session)),
      checkpoints: { final: { 'checkpoint.json': json(manifest), [file]: bytes } },
    },
  });
}
