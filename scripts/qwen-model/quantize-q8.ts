/**
 * q8 (`model_quantized.onnx`): what onnxruntime's `quantize_dynamic(model, out)` writes with its defaults
 * (QuantizationMode.IntegerOps, weight_type QInt8 so weights symmetric, activations QUInt8, per_channel False,
 * reduce_range False, MatMulConstBOnly True, op types = IntegerOpsRegistry's keys), ported from
 * onnxruntime/python/tools/quantization (onnx_quantizer.py, operators/matmul.py, gather.py, direct_q8.py,
 * quant_utils.py) for the op types this generator's graphs contain:
 *
 * - MatMul whose B is an initializer -> DynamicQuantizeLinear(A) (one per activation, shared by its MatMuls)
 *   + MatMulInteger(A_quantized, B_quantized, A_zero_point, B_zero_point) + Cast(to float)
 *   + Mul(A_scale, B_scale) + Mul(cast, scales) writing the MatMul's output. B: int8, per tensor, symmetric
 *   (scale = max|B| / 127, zero point 0, values clipped to [-127, 127]).
 * - MatMul whose B is computed (attention, the lm_head on the transposed tied embedding): kept fp32.
 * - Gather on a float initializer (the embedding) -> Gather on the initializer quantized as an activation would be:
 *   uint8, per tensor, asymmetric; its output is dequantized (DequantizeLinear) where a non-quantized op reads it.
 * - Transpose whose input is already quantized (the tied embedding, for lm_head) -> Transpose of the uint8 tensor,
 *   dequantized before the fp32 MatMul that reads it.
 * - Everything else (norms, RoPE, softmax, biases...) stays fp32; quantized values it reads are dequantized first.
 *
 * Initializers no node reads any more (the fp32 weights) are dropped; producer becomes onnx.quantize 0.1.0 and
 * metadata `onnx.infer = onnxruntime.quant` is set, as quantize_dynamic does. Not reproduced: the intermediate
 * value_info that quantize_dynamic's ONNX shape inference adds (optional; onnxruntime infers shapes itself).
 */
import { DataType, makeNode, makeTensor, type ModelProto, type NodeProto, type TensorProto } from '../../src/models/onnx/proto.ts';
import { asFloat32, roundHalfEven } from './quant-utils.ts';

const PRODUCER = 'onnx.quantize';
const PRODUCER_VERSION = '0.1.0';
/** IntegerOpsRegistry's keys (IntegerOps + CommonOps registries): quantize_dynamic's default op types. */
const DEFAULT_OP_TYPES = new Set(['Conv', 'ConvInteger', 'MatMul', 'Attention', 'LSTM', 'Gather', 'Transpose', 'EmbedLayerNormalization']);
const UNSUPPORTED = new Set(['Conv', 'ConvInteger', 'Attention', 'LSTM', 'EmbedLayerNormalization']);

interface QuantizedValue {
  q: string;
  scale: string;
  zp: string;
}

/** quant_utils.compute_scale_zp + quantize_nparray for one tensor (per tensor). */
export function quantizeTensor(data: Float32Array, type: 'int8' | 'uint8'): { scale: number; zeroPoint: number; q: Int8Array | Uint8Array } {
  let rmin = 0;
  let rmax = 0;
  if (data.length) {
    rmin = Infinity;
    rmax = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < rmin) rmin = v;
      if (v > rmax) rmax = v;
    }
  }
  rmin = Math.min(rmin, 0);
  rmax = Math.max(rmax, 0);
  const symmetric = type === 'int8';
  // get_qmin_qmax_for_qType: int8 symmetric [-127, 127], uint8 [0, 255].
  const [qmin, qmax] = symmetric ? [-127, 127] : [0, 255];
  if (symmetric) {
    const absmax = Math.max(Math.abs(rmin), Math.abs(rmax));
    rmin = -absmax;
    rmax = absmax;
  }
  const dr = Math.fround(rmax - rmin); // float32 subtraction, then float64 division
  let scale64 = dr / (qmax - qmin);
  let zeroPoint: number;
  if (scale64 < 1.1754943508222875e-38) {
    scale64 = 1;
    zeroPoint = 0;
  } else {
    zeroPoint = symmetric ? Math.round((qmin + qmax) / 2) : roundHalfEven(qmin - rmin / scale64);
  }
  const scale = Math.fround(scale64);
  const q = symmetric ? new Int8Array(data.length) : new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    let v = roundHalfEven(Math.fround(data[i] / scale)) + zeroPoint;
    if (v < qmin) v = qmin;
    else if (v > qmax) v = qmax;
    q[i] = v;
  }
  return { scale, zeroPoint, q };
}

export function quantizeDynamicQ8(model: ModelProto): ModelProto {
  const graph = model.graph!;
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const added: TensorProto[] = [];
  const qmap = new Map<string, QuantizedValue>();
  const newNodes: NodeProto[] = [];
  const nodeNames = new Set<string>();
  // Values that are produced by the new graph (so already usable as they are): graph inputs, then new nodes' outputs.
  const generated = new Set((graph.input ?? []).map((i) => i.name!).filter((n) => !inits.has(n)));
  const emit = (...nodes: NodeProto[]) => {
    for (const n of nodes) {
      newNodes.push(n);
      if (n.name) nodeNames.add(n.name);
      for (const o of n.output ?? []) generated.add(o);
    }
  };
  const isFloatInit = (name: string) => inits.get(name)?.data_type === DataType.FLOAT;

  const quantizeInitializer = (name: string, type: 'int8' | 'uint8'): QuantizedValue => {
    const existing = qmap.get(name);
    if (existing) return existing;
    const t = inits.get(name)!;
    const { scale, zeroPoint, q } = quantizeTensor(asFloat32(t), type);
    const qv = { q: `${name}_quantized`, scale: `${name}_scale`, zp: `${name}_zero_point` };
    // onnx.helper.make_tensor: scalars in float_data / int32_data; the weight through numpy_helper: raw_data.
    added.push({ name: qv.scale, data_type: DataType.FLOAT, dims: [], float_data: [scale] });
    added.push({ name: qv.zp, data_type: type === 'int8' ? DataType.INT8 : DataType.UINT8, dims: [], int32_data: [zeroPoint] });
    added.push(makeTensor(qv.q, type === 'int8' ? DataType.INT8 : DataType.UINT8, t.dims ?? [], q));
    qmap.set(name, qv);
    return qv;
  };

  /** ONNXQuantizer.quantize_activation for one input: initializer as uint8, else DynamicQuantizeLinear once. */
  const quantizeActivation = (name: string, out: NodeProto[]): QuantizedValue => {
    const existing = qmap.get(name);
    if (existing) return existing;
    if (inits.has(name)) return quantizeInitializer(name, 'uint8');
    const qv = { q: `${name}_quantized`, scale: `${name}_scale`, zp: `${name}_zero_point` };
    out.push(makeNode('DynamicQuantizeLinear', [name], [qv.q, qv.scale, qv.zp], `${name}_QuantizeLinear`));
    qmap.set(name, qv);
    return qv;
  };

  const dequantize = (value: string): NodeProto | undefined => {
    const qv = qmap.get(value);
    if (!qv || generated.has(value)) return undefined;
    const name = `${value}_DequantizeLinear`;
    if (nodeNames.has(name)) return undefined;
    return makeNode('DequantizeLinear', [qv.q, qv.scale, qv.zp], [value], name);
  };

  const keep = (node: NodeProto) => {
    for (const input of node.input ?? []) {
      const dq = dequantize(input);
      if (dq) emit(dq);
    }
    emit(node);
  };

  for (const original of graph.node ?? []) {
    const node = { ...original, input: [...(original.input ?? [])], output: [...(original.output ?? [])] };
    const op = node.op_type!;
    if (UNSUPPORTED.has(op)) throw new Error(`q8: op ${op} is not supported by this port of quantize_dynamic`);
    if (!DEFAULT_OP_TYPES.has(op)) {
      keep(node);
      continue;
    }
    if (op === 'MatMul') {
      const [a, b] = node.input;
      if (!inits.has(b) || !isFloatInit(b)) {
        keep(node);
        continue;
      }
      const nodes: NodeProto[] = [];
      const qa = quantizeActivation(a, nodes);
      const qb = quantizeInitializer(b, 'int8');
      const out = node.output[0];
      const name = node.name ? `${node.name}_quant` : '';
      const mmOut = `${out}_output_quantized`;
      nodes.push(makeNode('MatMulInteger', [qa.q, qb.q, qa.zp, qb.zp], [mmOut], name));
      const castOut = `${mmOut}_cast_output`;
      nodes.push(makeNode('Cast', [mmOut], [castOut], `${mmOut}_cast`, { to: DataType.FLOAT }));
      const scalesMul = name ? `${name}_scales_mul` : `${qa.scale}_${qb.scale}_mul`;
      if (!nodeNames.has(scalesMul)) nodes.push(makeNode('Mul', [qa.scale, qb.scale], [`${scalesMul}:0`], scalesMul));
      nodes.push(makeNode('Mul', [castOut, `${scalesMul}:0`], [out], name ? `${name}_output_scale_mul` : ''));
      emit(...nodes);
      continue;
    }
    if (op === 'Gather') {
      if (!isFloatInit(node.input[0])) {
        keep(node);
        continue;
      }
      const nodes: NodeProto[] = [];
      const qv = quantizeActivation(node.input[0], nodes);
      const out = node.output[0];
      qmap.set(out, { q: `${out}_quantized`, scale: qv.scale, zp: qv.zp });
      node.input[0] = qv.q;
      node.output[0] = `${out}_quantized`;
      emit(...nodes, node);
      continue;
    }
    if (op === 'Transpose') {
      const qv = qmap.get(node.input[0]);
      if (!qv) {
        emit(node);
        continue;
      }
      const out = node.output[0];
      qmap.set(out, { q: `${out}_quantized`, scale: qv.scale, zp: qv.zp });
      node.input[0] = qv.q;
      node.output[0] = `${out}_quantized`;
      emit(node);
      continue;
    }
    keep(node);
  }
  for (const output of graph.output ?? []) {
    const dq = dequantize(output.name!);
    if (dq) emit(dq);
  }

  // clean_initializers: keep what the new nodes read, in order, then the quantized tensors in creation order.
  const used = new Set(newNodes.flatMap((n) => n.input ?? []));
  const initializer = [...(graph.initializer ?? []), ...added].filter((t) => used.has(t.name!));

  const metadata = new Map((model.metadata_props ?? []).map((p) => [p.key!, p.value!]));
  const metadata_props = [{ key: 'onnx.infer', value: 'onnxruntime.quant' }, ...[...metadata].filter(([k]) => k !== 'onnx.infer').map(([key, value]) => ({ key, value }))];

  return {
    ...model,
    producer_name: PRODUCER,
    producer_version: PRODUCER_VERSION,
    metadata_props,
    graph: { ...graph, node: newNodes, initializer },
  };
}
