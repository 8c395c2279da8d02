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
import { UserError } from './errors.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildOnnxModel, type OnnxGraphSpec } from './onnx/model.js';
import type { Parameter } from './parameter.js';

/** A float32 array with its shape. */
export interface TensorValue {
  shape: readonly number[];
  data: Float32Array;
}

/** Named tensors, stored together in one safetensors file. */
export type TensorGroup = Record<string, TensorValue>;

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

/** A checkpoint or safetensors file that cannot be read; the message names the file (and tensor). */
export class CheckpointError extends UserError {
  override name = 'CheckpointError';
}

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;

// ---------------------------------------------------------------------------------------------
// safetensors

/**
 * Serialises float32 tensors as a safetensors file (tensors in name order, header padded to 8
 * bytes). `metadata` goes to the header's `__metadata__` (string values only, per the format).
 */
export function writeSafetensors(tensors: TensorGroup, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors[name];
    if (data.length !== sizeOf(shape)) throw new CheckpointError(`tensor '${name}': ${data.length} values do not fill shape ${fmt(shape)}`);
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * data.length] };
    offset += 4 * data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const { data } = tensors[name];
    if (LE) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    else {
      const view = new DataView(out.buffer, at, data.byteLength);
      data.forEach((v, i) => view.setFloat32(4 * i, v, true));
    }
    at += data.byteLength;
  }
  return out;
}

/**
 * Parses a safetensors file holding float32 tensors. Validates the header (length, JSON, dtypes,
 * shapes, offsets that tile the data exactly) and throws a CheckpointError naming `file` and the
 * tensor at fault. Returned arrays are copies.
 */
export function readSafetensors(bytes: Uint8Array, file = 'safetensors'): { tensors: TensorGroup; metadata: Record<string, string> } {
  const bad = (msg: string): never => {
    throw new CheckpointError(`${file}: ${msg}`);
  };
  if (bytes.length < 8) bad(`file is ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8) || n > 100_000_000n) bad(`header length ${n} exceeds the file (${bytes.length} bytes): truncated or not safetensors`);
  const start = 8 + Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, Number(n)).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    return bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad('header is not a JSON object');
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const dataLength = bytes.length - start;
  const spans: Array<[number, number, string]> = [];
  const tensors: TensorGroup = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32') bad(`tensor '${name}' has dtype ${String(e.dtype)}; only F32 is supported`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor '${name}' has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0)) {
      bad(`tensor '${name}' has invalid data_offsets`);
    }
    const [b, end] = offsets as [number, number];
    const dims = shape as number[];
    if (end - b !== 4 * sizeOf(dims)) bad(`tensor '${name}' spans ${end - b} bytes but shape ${fmt(dims)} needs ${4 * sizeOf(dims)}`);
    if (end > dataLength) bad(`tensor '${name}' ends at byte ${end} past the data (${dataLength} bytes): file truncated`);
    spans.push([b, end, name]);
    const copy = new Uint8Array(end - b);
    copy.set(bytes.subarray(start + b, start + end));
    let data = new Float32Array(copy.buffer);
    if (!LE) {
      const dv = new DataView(copy.buffer);
      data = Float32Array.from({ length: copy.length / 4 }, (_, i) => dv.getFloat32(4 * i, true));
    }
    tensors[name] = { shape: dims, data };
  }
  spans.sort((p, q) => p[0] - q[0]);
  let at = 0;
  for (const [b, end, name] of spans) {
    if (b !== at) bad(`tensor '${name}' starts at byte ${b}, expected ${at} (overlap or hole in the data)`);
    at = end;
  }
  if (at !== dataLength) bad(`data section has ${dataLength} bytes, tensors cover ${at}`);
  return { tensors, metadata };
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
  if (m?.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`${where}: format is ${JSON.stringify(m?.format)}, expected "${CHECKPOINT_FORMAT}"`);
  if (m.version !== CHECKPOINT_VERSION) throw new CheckpointError(`${where}: version ${m.version} is not supported (this build reads ${CHECKPOINT_VERSION})`);
  if (!Number.isInteger(m.step) || typeof m.files !== 'object' || m.files === null) throw new CheckpointError(`${where}: missing step or files`);
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
  if (!Number.isInteger(contents.step) || contents.step < 0) throw new CheckpointError(`step must be a non-negative integer, got ${contents.step}`);
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
export interface LoadOptions {
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
export async function loadCheckpoint(dir: string, opts: LoadOptions = {}): Promise<CheckpointContents> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new CheckpointError(`${dir}: no ${MANIFEST}; not a checkpoint directory (or its first save never finished)`);
  const groups: Record<string, TensorGroup> = {};
  for (const [group, entry] of Object.entries(manifest.files)) {
    const path = join(dir, entry.file);
    if (basename(entry.file) !== entry.file) throw new CheckpointError(`${join(dir, MANIFEST)}: file name '${entry.file}' must not contain a path`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new CheckpointError(`${path}: cannot read file of group '${group}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (bytes.length !== entry.bytes) throw new CheckpointError(`${path}: ${bytes.length} bytes, the manifest says ${entry.bytes}: truncated or replaced`);
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

/** Parameter shapes by name, for {@link LoadOptions.expect}. */
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
