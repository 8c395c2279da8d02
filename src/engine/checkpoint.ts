/**
 * Checkpoints: named float32 arrays (parameters, optimizer state) in safetensors files plus a JSON
 * manifest, written atomically; and ONNX export of inference graphs.
 *
 * ## Format "vaelab-checkpoint", version 1
 *
 * A checkpoint is a directory holding
 * - one safetensors file per tensor group (e.g. `model`, `optimizer`), named
 *   `<group>-<first 12 hex digits of its SHA-256>.safetensors`, float32 tensors only;
 * - `checkpoint.json`, the manifest:
 *   `{ "format": "vaelab-checkpoint", "version": 1, "step": <int>,
 *      "files": { <group>: { "file", "bytes", "sha256", "tensors": [names] } },
 *      "metadata": <any JSON: RNG state, config, ...> }`.
 *
 * A save writes each data file to a temporary file in the same directory, fsyncs and renames it,
 * then does the same for the manifest, then deletes the files only the previous manifest named.
 * Before writing, it removes the leftovers of a save that crashed (temporary and unnamed data files).
 * Data files are named by their content, so a crash at any point leaves either the old manifest
 * with its untouched files or the new one with its files; temporary leftovers are never read.
 *
 * safetensors (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON `{ name: { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] },
 * "__metadata__": { string: string } }` (space-padded to a multiple of 8), then the raw
 * little-endian data, offsets relative to its start, tensors contiguous in name order. The group
 * files load directly with `safetensors.torch.load_file` / `safetensors.numpy.load_file`.
 *
 * Why no npm package: the format is ~40 lines to write and read, and the npm `safetensors` package
 * is a 0.0.1 placeholder; the alternatives found are unmaintained or pull in heavy dependencies.
 */
import { CheckpointError, readSafetensors, writeSafetensors, type TensorGroup } from './safetensors.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildOnnxModel, type OnnxGraphSpec } from './onnx/model.js';
import type { Parameter } from './parameter.js';

export { CheckpointError, readSafetensors, writeSafetensors, type TensorGroup, type TensorValue } from './safetensors.js';

const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;

/** What a checkpoint holds. */
export interface CheckpointContents {
  /** Training step (number of updates applied). */
  step: number;
  /** Tensor groups by name (a file each), e.g. `{ model: ..., optimizer: ... }`. */
  groups: Record<string, TensorGroup>;
  /** Any JSON-serialisable value: RNG state, run configuration, schedule position. */
  metadata?: unknown;
}

/** Manifest format name and version written by this module. */
export const CHECKPOINT_FORMAT = 'vaelab-checkpoint';
export const CHECKPOINT_VERSION = 1;
/** File name of the manifest inside a checkpoint directory. */
export const MANIFEST = 'checkpoint.json';

interface ManifestFile {
  file: string;
  bytes: number;
  sha256: string;
  tensors: string[];
}

interface Manifest {
  format: string;
  version: number;
  step: number;
  files: Record<string, ManifestFile>;
  metadata?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Atomic files

async function syncDir(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch {
    // Directories cannot be opened or fsynced on some platforms (Windows); the rename still stands.
  } finally {
    await h?.close();
  }
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, rename,
 * fsync of the directory. Readers see the old file or the new one, never a partial one.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const h = await open(tmp, 'wx');
  try {
    await h.writeFile(bytes);
    await h.sync();
  } catch (e) {
    await h.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await h.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dirname(path));
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

const GROUP_NAME = /^[A-Za-z0-9_.-]+$/;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const where = join(dir, MANIFEST);
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new CheckpointError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (m?.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(`${where}: format is ${JSON.stringify(m?.format)}, expected "${CHECKPOINT_FORMAT}"`);
  if (m.version !== CHECKPOINT_VERSION)
    throw new CheckpointError(`${where}: version ${m.version} is not supported (this build reads ${CHECKPOINT_VERSION})`);
  if (!Number.isInteger(m.step) || typeof m.files !== 'object' || m.files === null)
    throw new CheckpointError(`${where}: missing step or files`);
  return m;
}

/**
 * Removes what a crash during an earlier save left in `dir`: temporary files (`.*.tmp-*`) and data
 * files that no manifest names (renamed into place before the crash, never referenced). A single
 * writer per directory is assumed (the run directory's lock, `train/runLock.ts`).
 */
async function removeLeftovers(dir: string, manifest: Manifest | undefined): Promise<void> {
  const named = new Set(Object.values(manifest?.files ?? {}).map((f) => f.file));
  for (const f of await readdir(dir)) {
    if (/^\..*\.tmp-/.test(f) || (f.endsWith('.safetensors') && !named.has(f))) await rm(join(dir, f), { force: true });
  }
}

/**
 * Saves `contents` to directory `dir` (created if needed) in the "vaelab-checkpoint" v1 format (see
 * the module comment), atomically with respect to crashes, replacing any checkpoint already there.
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  if (!Number.isInteger(contents.step) || contents.step < 0)
    throw new CheckpointError(`step must be a non-negative integer, got ${contents.step}`);
  await mkdir(dir, { recursive: true });
  const previous = await readManifest(dir).catch(() => undefined);
  await removeLeftovers(dir, previous);
  const files: Record<string, ManifestFile> = {};
  for (const [group, tensors] of Object.entries(contents.groups)) {
    if (!GROUP_NAME.test(group)) throw new CheckpointError(`group name '${group}' must match ${GROUP_NAME}`);
    const bytes = writeSafetensors(tensors, { format: 'pt', producer: 'vaelab', step: String(contents.step) });
    const digest = sha256(bytes);
    const file = `${group}-${digest.slice(0, 12)}.safetensors`;
    await writeFileAtomic(join(dir, file), bytes);
    files[group] = { file, bytes: bytes.length, sha256: digest, tensors: Object.keys(tensors).sort() };
  }
  const manifest: Manifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, step: contents.step, files };
  if (contents.metadata !== undefined) manifest.metadata = contents.metadata;
  await writeFileAtomic(join(dir, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  // Only now is the old checkpoint unreachable: drop its files that the new one does not reuse.
  const kept = new Set(Object.values(files).map((f) => f.file));
  for (const f of Object.values(previous?.files ?? {})) {
    if (!kept.has(f.file) && basename(f.file) === f.file) await rm(join(dir, f.file), { force: true });
  }
}

/** Options of {@link loadCheckpoint}. */
export interface CheckpointLoadOptions {
  /**
   * Tensors that must be present, by group and name, with their shapes (see
   * {@link expectedShapes}); a missing group or tensor or a different shape is an error naming the file and tensor.
   */
  expect?: Record<string, Record<string, readonly number[]>>;
}

/**
 * Loads the checkpoint in `dir`. Verifies the manifest, each file's size and SHA-256, each
 * safetensors header, and the `opts.expect`ed shapes; throws a {@link CheckpointError} naming the
 * file and tensor otherwise.
 */
export async function loadCheckpoint(dir: string, opts: CheckpointLoadOptions = {}): Promise<CheckpointContents> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new CheckpointError(`${dir}: no ${MANIFEST}; not a checkpoint directory (or its first save never finished)`);
  const groups: Record<string, TensorGroup> = {};
  for (const [group, entry] of Object.entries(manifest.files)) {
    const path = join(dir, entry.file);
    if (basename(entry.file) !== entry.file)
      throw new CheckpointError(`${join(dir, MANIFEST)}: file name '${entry.file}' must not contain a path`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new CheckpointError(
        `${path}: cannot read file of group '${group}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    if (bytes.length !== entry.bytes)
      throw new CheckpointError(`${path}: ${bytes.length} bytes, the manifest says ${entry.bytes}: truncated or replaced`);
    const { tensors } = readSafetensors(bytes, path);
    if (sha256(bytes) !== entry.sha256) throw new CheckpointError(`${path}: checksum mismatch, the file is corrupted`);
    groups[group] = tensors;
  }
  for (const [group, shapes] of Object.entries(opts.expect ?? {})) {
    const tensors = groups[group];
    const file = manifest.files[group] ? join(dir, manifest.files[group].file) : `${dir} (group '${group}')`;
    if (!tensors) throw new CheckpointError(`${file}: the checkpoint has no tensor group '${group}'`);
    for (const [name, shape] of Object.entries(shapes)) {
      const t = tensors[name];
      if (!t) throw new CheckpointError(`${file}: tensor '${name}' is missing`);
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new CheckpointError(`${file}: tensor '${name}' has shape ${fmt(t.shape)}, expected ${fmt(shape)}`);
      }
    }
  }
  const out: CheckpointContents = { step: manifest.step, groups };
  if (manifest.metadata !== undefined) out.metadata = manifest.metadata;
  return out;
}

/** The current values of `params` as a tensor group keyed by parameter name (values are not copied). */
export function parameterGroup(params: readonly Parameter[]): TensorGroup {
  return Object.fromEntries(params.map((p) => [p.name, { shape: p.shape, data: p.value }]));
}

/** Parameter shapes by name, for {@link CheckpointLoadOptions.expect}. */
export function expectedShapes(params: readonly Parameter[]): Record<string, readonly number[]> {
  return Object.fromEntries(params.map((p) => [p.name, p.shape]));
}

/**
 * Sets each parameter's value from `group` (validated: every parameter present with its shape).
 * `where` names the source in errors.
 */
export function restoreParameters(params: readonly Parameter[], group: TensorGroup, where = 'checkpoint'): void {
  for (const p of params) {
    const t = group[p.name];
    if (!t) throw new CheckpointError(`${where}: tensor '${p.name}' is missing`);
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      throw new CheckpointError(`${where}: tensor '${p.name}' has shape ${fmt(t.shape)}, parameter expects ${fmt(p.shape)}`);
    }
  }
  for (const p of params) p.value = Float32Array.from(group[p.name].data);
}

// ---------------------------------------------------------------------------------------------
// ONNX export

/**
 * Writes an inference graph to `path` (atomically) as a self-contained ONNX model: parameters are
 * baked in as initializers with their current values, so any onnxruntime (Python, web, C++) can
 * run it by feeding only `spec.inputs`.
 */
export async function exportOnnx(path: string, spec: Omit<OnnxGraphSpec, 'params'>): Promise<void> {
  await writeFileAtomic(path, buildOnnxModel({ ...spec, params: 'initializers' }));
}
