/**
 * Thin helpers over the protobufjs-generated ONNX messages of `onnx-proto` (ONNX IR 8): tensor,
 * attribute and value-info builders. Only what the lowering and the model writer need.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { DType } from '../primitives.js';

// onnx-proto is CommonJS: under Node ESM its namespace is reachable only through the default export.
/** The generated ONNX message classes (`onnx.ModelProto`, `onnx.GraphProto`, ...). */
export const onnx = onnxProto.onnx;

export type ModelProto = OnnxTypes.IModelProto;
export type GraphProto = OnnxTypes.IGraphProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;
export type AttributeProto = OnnxTypes.IAttributeProto;
export type ValueInfoProto = OnnxTypes.IValueInfoProto;

/** ONNX opset of the default `ai.onnx` domain that every lowering targets. */
export const OPSET = 18;
/** ONNX IR version written into every model (IR 8 goes with opsets 16-18). */
export const IR_VERSION = 8;

/** `TensorProto.DataType` codes of the engine's dtypes. */
export const ONNX_DTYPE: { readonly [D in DType]: number } = { float32: 1, int64: 7, bool: 9 };

// AttributeProto.AttributeType codes.
const FLOAT = 1;
const INT = 2;
const STRING = 3;
const TENSOR = 4;
const GRAPH = 5;
const INTS = 7;

/** Attribute constructors; each records its type explicitly as ONNX requires. */
export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: INTS, ints: [...ints] }),
  float: (name: string, f: number): AttributeProto => ({ name, type: FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({ name, type: STRING, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: TENSOR, t }),
  graph: (name: string, g: GraphProto): AttributeProto => ({ name, type: GRAPH, g }),
};

/**
 * Little-endian raw bytes of `values` in `dtype` (float32, int64 or one byte per bool). Written
 * through a DataView so the bytes are the same on any host.
 */
export function rawBytes(values: ArrayLike<number> | BigInt64Array, dtype: DType): Uint8Array {
  const n = values.length;
  if (dtype === 'bool') {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(values[i]) !== 0 ? 1 : 0;
    return out;
  }
  if (dtype === 'int64') {
    const out = new Uint8Array(8 * n);
    const view = new DataView(out.buffer);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      view.setBigInt64(8 * i, typeof v === 'bigint' ? v : BigInt(Math.trunc(v)), true);
    }
    return out;
  }
  const out = new Uint8Array(4 * n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) view.setFloat32(4 * i, Number(values[i]), true);
  return out;
}

/** A TensorProto holding `values` (row-major) with `dims`; an empty `dims` is a 0-d scalar. */
export function tensorProto(name: string, values: ArrayLike<number> | BigInt64Array, dims: readonly number[], dtype: DType): TensorProto {
  return { name, dims: [...dims], dataType: ONNX_DTYPE[dtype], rawData: rawBytes(values, dtype) };
}

/** A float32 TensorProto aliasing the bytes of `values` (no copy; for large parameter initializers). */
export function float32TensorProto(name: string, values: Float32Array, dims: readonly number[]): TensorProto {
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const rawData = le ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength) : rawBytes(values, 'float32');
  return { name, dims: [...dims], dataType: ONNX_DTYPE.float32, rawData };
}

/** A graph input/output declaration with a static shape. */
export function valueInfo(name: string, dtype: DType, shape: readonly number[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ONNX_DTYPE[dtype], shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
  };
}
