/**
 * Writes a traced graph as an ONNX model (IR 8, opset 18), using the lowering table of `lower.ts`.
 * The bytes depend only on the graph's structure, names and values (never on tensor ids), so the
 * same graph built twice serialises identically and sessions can be cached by a hash of the bytes.
 */
import { GraphError } from '../ops.js';
import type { Parameter } from '../parameter.js';
import type { DType, Primitive } from '../primitives.js';
import { topologicalOrder, type Tensor } from '../tensor.js';
import { convEpilogues } from './epilogue.js';
import { LOWER, lowerConv2d, lowerConvTranspose2d, type LowerContext, type LowerRule } from './lower.js';
import {
  float32TensorProto,
  IR_VERSION,
  onnx,
  OPSET,
  tensorProto,
  valueInfo,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto.js';

/** What to write: the fed inputs, the named outputs, and how parameters enter the model. */
export interface OnnxGraphSpec {
  /** Input leaves, declared as graph inputs in this order (unused ones are still declared). */
  inputs: readonly Tensor<'input'>[];
  /** Graph outputs by name; several names may share a tensor. */
  outputs: Readonly<Record<string, Tensor>>;
  /**
   * `'inputs'`: each parameter is a graph input named `parameter.name` (training graphs, whose
   * parameters change every step). `'initializers'`: parameter values are copied into the model
   * as initializers at build time (inference/export graphs).
   */
  params: 'inputs' | 'initializers';
  /** Graph name (default `vaelab`). */
  name?: string;
}

/** What the model is written for, beyond standard ONNX. */
export interface OnnxTarget {
  /**
   * The channel block of onnxruntime-node's blocked convolution kernels, to write convolutions that
   * fit them as those kernels (`nchwc.ts`); 0 or absent writes standard `ai.onnx` operators only.
   */
  nchwcBlock?: number;
}

/** Name, dtype and static shape of a graph input or output. */
export interface ValueSignature {
  name: string;
  dtype: DType;
  shape: readonly number[];
}

/** The interface of a written model: its inputs (fed inputs, then parameters) and outputs. */
export interface OnnxSignature {
  inputs: ValueSignature[];
  /** Parameters the graph reads, in graph order (fed as inputs when `params: 'inputs'`). */
  params: Parameter[];
  outputs: ValueSignature[];
}

const err = (message: string): never => {
  throw new GraphError(`onnx: ${message}`);
};

/**
 * Lowers `spec` to an ONNX `ModelProto` object, together with its signature. Throws a GraphError
 * when names clash (two inputs or two parameters with one name, an output named like an input or a
 * parameter), when the graph reads an input leaf that `spec.inputs` does not list, or when no output
 * is given.
 */
export function lowerToOnnx(spec: OnnxGraphSpec, target: OnnxTarget = {}): { model: ModelProto; signature: OnnxSignature } {
  const outputKeys = Object.keys(spec.outputs);
  if (outputKeys.length === 0) err('a graph needs at least one output');

  // Declared inputs: unique tensors, unique names.
  const inputByName = new Map<string, Tensor<'input'>>();
  for (const t of spec.inputs) {
    if (!t.is('input')) err(`spec.inputs must hold input leaves, got ${t}`);
    const name = t.params.name;
    if (inputByName.has(name)) {
      err(inputByName.get(name) === t ? `input '${name}' is listed twice` : `two different inputs are named '${name}'`);
    }
    inputByName.set(name, t);
  }

  const order = topologicalOrder(outputKeys.map((k) => spec.outputs[k]));

  // Parameters: one name per Parameter.
  const paramByName = new Map<string, Parameter>();
  for (const t of order) {
    if (t.is('input') && inputByName.get(t.params.name) !== t) {
      err(`the graph reads input '${t.params.name}' ${t.shape.length ? `[${t.shape}]` : ''}which spec.inputs does not list`);
    }
    if (!t.is('param')) continue;
    const p = t.params.parameter;
    const seen = paramByName.get(p.name);
    if (seen && seen !== p) err(`two different parameters are named '${p.name}'`);
    if (inputByName.has(p.name)) err(`parameter '${p.name}' has the name of an input`);
    paramByName.set(p.name, p);
  }
  for (const key of outputKeys) {
    if (inputByName.has(key) || paramByName.has(key)) err(`output '${key}' has the name of an input or parameter; rename it`);
  }

  // Names: user names are reserved first; internal names are derived from op and position.
  const used = new Set<string>([...inputByName.keys(), ...paramByName.keys(), ...outputKeys]);
  const fresh = (hint: string): string => {
    let name = hint;
    for (let n = 1; used.has(name); n++) name = `${hint}_${n}`;
    used.add(name);
    return name;
  };
  const firstKey = new Map<Tensor, string>();
  for (const key of outputKeys) if (!firstKey.has(spec.outputs[key])) firstKey.set(spec.outputs[key], key);

  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const paramInputs: ValueInfoProto[] = [];
  const nodeCount = new Map<string, number>();
  const domains = new Set<string>();
  const ctx: LowerContext = {
    emit(opType, inputs, outputs, attributes: AttributeProto[] = [], domain) {
      const k = nodeCount.get(opType) ?? 0;
      nodeCount.set(opType, k + 1);
      const node: NodeProto = { name: `${opType}_${k}`, opType, input: [...inputs], output: [...outputs], attribute: attributes };
      if (domain !== undefined) {
        node.domain = domain;
        domains.add(domain);
      }
      nodes.push(node);
    },
    fresh,
    initializer: (t) => void initializers.push(t),
    int64s(hint, values) {
      const name = fresh(hint);
      initializers.push(tensorProto(name, values, [values.length], 'int64'));
      return name;
    },
    nchwcBlock: target.nchwcBlock ?? 0,
    leaf(t, name) {
      if (!t.is('param')) return; // fed inputs are declared from spec.inputs below
      const p = t.params.parameter;
      if (spec.params === 'inputs') paramInputs.push(valueInfo(name, 'float32', p.shape));
      else initializers.push(float32TensorProto(name, p.value, p.shape));
    },
  };

  // conv → bias → relu chains become one node, written when the walk reaches the chain's last tensor.
  const { chains, absorbed } = convEpilogues(order, Object.values(spec.outputs));
  const names = new Map<Tensor, string>();
  order.forEach((t, k) => {
    if (absorbed.has(t)) return;
    let name: string;
    if (t.is('input')) name = t.params.name;
    else if (t.is('param')) name = t.params.parameter.name;
    else if (t.op !== 'constant' && firstKey.has(t)) name = firstKey.get(t)!;
    else name = fresh(`${t.op}_${k}`);
    names.set(t, name);
    const chain = chains.get(t);
    if (chain) {
      const { conv, bias, relu } = chain;
      const convInputs = conv.inputs.map((x) => names.get(x)!);
      const epilogue = { bias: names.get(bias)!, relu };
      if (conv.is('conv2d')) lowerConv2d(conv, convInputs, name, ctx, epilogue);
      else if (conv.is('convTranspose2d')) lowerConvTranspose2d(conv, convInputs, name, ctx, epilogue);
      return;
    }
    const rule = LOWER[t.op] as LowerRule<Primitive>;
    rule(
      t,
      t.inputs.map((x) => names.get(x)!),
      name,
      ctx,
    );
  });
  // Outputs not written directly by their node (leaves, constants, a tensor under several names).
  for (const key of outputKeys) {
    const value = names.get(spec.outputs[key])!;
    if (value !== key) ctx.emit('Identity', [value], [key]);
  }

  const inputs = [...inputByName.values()].map((t) => ({ name: t.params.name, dtype: t.dtype, shape: t.shape }));
  const outputs = outputKeys.map((k) => ({ name: k, dtype: spec.outputs[k].dtype, shape: spec.outputs[k].shape }));
  const graph: GraphProto = {
    name: spec.name ?? 'vaelab',
    node: nodes,
    initializer: initializers,
    input: [...inputs.map((v) => valueInfo(v.name, v.dtype, v.shape)), ...paramInputs],
    output: outputs.map((v) => valueInfo(v.name, v.dtype, v.shape)),
  };
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }, ...[...domains].map((domain) => ({ domain, version: 1 }))],
    producerName: 'vaelab',
    graph,
  };
  const params = [...paramByName.values()];
  const signature: OnnxSignature = {
    inputs: [
      ...inputs,
      ...(spec.params === 'inputs' ? params.map((p) => ({ name: p.name, dtype: 'float32' as const, shape: p.shape })) : []),
    ],
    params,
    outputs,
  };
  return { model, signature };
}

/**
 * Serialises `spec` as ONNX model bytes (IR 8, opset 18; standard `ai.onnx` operators only unless
 * `target` allows more). Deterministic: the same graph and target give the same bytes.
 */
export function buildOnnxModel(spec: OnnxGraphSpec, target: OnnxTarget = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(lowerToOnnx(spec, target).model)).finish();
}
