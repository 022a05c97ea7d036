/**
 * The fp32 ONNX graph of a Qwen2 causal LM with a key/value cache, in the signature of onnx-community's
 * transformers.js exports (optimum's text-generation-with-past):
 *
 *   inputs   input_ids int64 [batch_size, sequence_length]
 *            attention_mask int64 [batch_size, past_sequence_length + sequence_length]
 *            position_ids int64 [batch_size, sequence_length]
 *            past_key_values.{i}.key|value float32 [batch_size, num_key_value_heads, past_sequence_length, head_dim]
 *   outputs  logits float32 [batch_size, sequence_length, vocab_size]
 *            present.{i}.key|value float32 [batch_size, num_key_value_heads, past_sequence_length + sequence_length, head_dim]
 *
 * KV-head and head_dim dims are fixed numbers: transformers.js builds the empty first cache from these shapes.
 * Standard ONNX ops only (opset 17), named as torch.onnx names them (`/model/layers.0/self_attn/q_proj/MatMul`).
 *
 * Attention is what transformers' eager Qwen2Attention computes: RoPE (rotate_half) on q and k, grouped-query
 * attention (query heads [kv, rep] share a KV head: a 5-D MatMul broadcast instead of materializing repeat_kv),
 * scores * head_dim^-0.5 plus a float mask, softmax, output projection. The mask allows key j for query i when
 * j <= past + i (cache positions, as HF's causal mask) and attention_mask[b, j] = 1; a disallowed score gets
 * float32's lowest value (finfo.min, as HF does), never -inf, so fully padded query rows stay finite.
 * RMSNorm: x * 1/sqrt(mean(x^2) + eps) * weight. MLP: down(silu(gate(x)) * up(x)). lm_head: the tied embedding,
 * transposed in the graph (one copy of the weights in the file).
 */
import { DataType, makeNode, makeTensor, makeTensorValueInfo, type ModelProto, type NodeProto, type TensorProto } from '../../src/models/onnx/proto.ts';
import type { QwenShape } from './presets.ts';
import { EMBED, FINAL_NORM, INV_FREQ, layerWeightNames, type Weight } from './weights.ts';

export const OPSET = 17;
/** ONNX IR version of onnx 1.12 (opset 17). */
export const IR_VERSION = 8;

/** Symbolic dims, as optimum names them. */
export const DIMS = {
  batch: 'batch_size',
  seq: 'sequence_length',
  past: 'past_sequence_length',
  total: 'past_sequence_length + sequence_length',
} as const;

const FLOAT32_LOWEST = -3.4028234663852886e38;

class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly constants = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** Adds a node named `${scope}/${op}[_n]`; its outputs are `${name}_output_${k}` unless given. */
  node(
    scope: string,
    op: string,
    inputs: string[],
    attrs: Parameters<typeof makeNode>[4] = {},
    opts: { outputs?: string[]; nOutputs?: number } = {},
  ): string[] {
    const base = `${scope}/${op}`;
    const n = this.counters.get(base) ?? 0;
    this.counters.set(base, n + 1);
    const name = n === 0 ? base : `${base}_${n}`;
    const outputs = opts.outputs ?? Array.from({ length: opts.nOutputs ?? 1 }, (_, k) => `${name}_output_${k}`);
    this.nodes.push(makeNode(op, inputs, outputs, name, attrs));
    return outputs;
  }

  one(scope: string, op: string, inputs: string[], attrs: Parameters<typeof makeNode>[4] = {}, output?: string): string {
    return this.node(scope, op, inputs, attrs, output ? { outputs: [output] } : {})[0];
  }

  initializer(tensor: TensorProto): string {
    this.initializers.push(tensor);
    return tensor.name!;
  }

  /** A shared constant initializer (deduplicated by type and value). */
  constant(dataType: number, dims: number[], values: number[] | bigint[]): string {
    const key = `${dataType}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `/model/constants/${this.constants.size}`;
    const data =
      dataType === DataType.INT64
        ? BigInt64Array.from((values as (number | bigint)[]).map((v) => BigInt(v)))
        : Float32Array.from(values as number[]);
    this.initializer(makeTensor(name, dataType, dims, data));
    this.constants.set(key, name);
    return name;
  }

  i64(values: number[], scalar = false): string {
    return this.constant(DataType.INT64, scalar ? [] : [values.length], values);
  }

  f32(value: number): string {
    return this.constant(DataType.FLOAT, [], [value]);
  }
}

export interface GraphOptions {
  /** Model doc_string. */
  doc?: string;
  producerVersion?: string;
}

export function buildGraph(shape: QwenShape, weights: Map<string, Weight>, opts: GraphOptions = {}): ModelProto {
  const g = new GraphBuilder();
  const H = shape.hidden_size;
  const nh = shape.num_attention_heads;
  const kv = shape.num_key_value_heads;
  const hd = shape.head_dim;
  const rep = nh / kv;
  if (!Number.isInteger(rep)) throw new Error('num_attention_heads must be a multiple of num_key_value_heads');

  const weight = (name: string): string => {
    const w = weights.get(name);
    if (!w) throw new Error(`missing weight ${name}`);
    return g.initializer(makeTensor(name, DataType.FLOAT, w.dims, w.data));
  };

  // Initializers in the order the weights were generated, then the constants the graph adds.
  for (const w of weights.values()) weight(w.name);

  const inputs = [
    makeTensorValueInfo('input_ids', DataType.INT64, [DIMS.batch, DIMS.seq]),
    makeTensorValueInfo('attention_mask', DataType.INT64, [DIMS.batch, DIMS.total]),
    makeTensorValueInfo('position_ids', DataType.INT64, [DIMS.batch, DIMS.seq]),
  ];
  const outputs = [makeTensorValueInfo('logits', DataType.FLOAT, [DIMS.batch, DIMS.seq, shape.vocab_size])];
  for (let i = 0; i < shape.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) {
      inputs.push(makeTensorValueInfo(`past_key_values.${i}.${kind}`, DataType.FLOAT, [DIMS.batch, kv, DIMS.past, hd]));
      outputs.push(makeTensorValueInfo(`present.${i}.${kind}`, DataType.FLOAT, [DIMS.batch, kv, DIMS.total, hd]));
    }
  }

  // Token embeddings.
  let hidden = g.one('/model/embed_tokens', 'Gather', [EMBED, 'input_ids']);

  // Attention mask [batch, 1, 1, seq, total]: causal over cache positions AND not padding.
  const m = '/model/attn_mask';
  const one = g.i64([1], true);
  const seqLen = g.one(m, 'Gather', [g.one(m, 'Shape', ['input_ids']), one], { axis: 0 });
  const totalLen = g.one(m, 'Gather', [g.one(m, 'Shape', ['attention_mask']), one], { axis: 0 });
  const pastLen = g.one(m, 'Sub', [totalLen, seqLen]);
  const queryPos = g.one(m, 'Unsqueeze', [g.one(m, 'Range', [pastLen, totalLen, one]), g.i64([1])]);
  const keyPos = g.one(m, 'Range', [g.i64([0], true), totalLen, one]);
  const causal = g.one(m, 'LessOrEqual', [keyPos, queryPos]);
  const notPad = g.one(m, 'Unsqueeze', [g.one(m, 'Cast', ['attention_mask'], { to: DataType.BOOL }), g.i64([1, 2, 3])]);
  const allowed = g.one(m, 'And', [notPad, causal]);
  const mask = g.one(m, 'Where', [allowed, g.f32(0), g.f32(FLOAT32_LOWEST)]);

  // Rotary embedding: angle = position * inv_freq, duplicated over both halves; cos/sin [batch, 1, seq, head_dim].
  const r = '/model/rotary_emb';
  const pos = g.one(r, 'Unsqueeze', [g.one(r, 'Cast', ['position_ids'], { to: DataType.FLOAT }), g.i64([2])]);
  const freqs = g.one(r, 'Mul', [pos, INV_FREQ]);
  const angles = g.one(r, 'Concat', [freqs, freqs], { axis: -1 });
  const cos = g.one(r, 'Unsqueeze', [g.one(r, 'Cos', [angles]), g.i64([1])]);
  const sin = g.one(r, 'Unsqueeze', [g.one(r, 'Sin', [angles]), g.i64([1])]);

  const rmsNorm = (scope: string, x: string, w: string): string => {
    const variance = g.one(scope, 'ReduceMean', [g.one(scope, 'Pow', [x, g.f32(2)])], { axes: [-1], keepdims: 1 });
    const inv = g.one(scope, 'Reciprocal', [g.one(scope, 'Sqrt', [g.one(scope, 'Add', [variance, g.f32(shape.rms_norm_eps)])])]);
    return g.one(scope, 'Mul', [w, g.one(scope, 'Mul', [x, inv])]);
  };
  const rope = (scope: string, x: string): string => {
    const [x1, x2] = g.node(scope, 'Split', [x, g.i64([hd / 2, hd / 2])], { axis: -1 }, { nOutputs: 2 });
    const rotated = g.one(scope, 'Concat', [g.one(scope, 'Neg', [x2]), x1], { axis: -1 });
    return g.one(scope, 'Add', [g.one(scope, 'Mul', [x, cos]), g.one(scope, 'Mul', [rotated, sin])]);
  };
  const linear = (scope: string, x: string, w: string, b?: string): string => {
    const y = g.one(scope, 'MatMul', [x, w]);
    return b ? g.one(scope, 'Add', [b, y]) : y;
  };
  /** [batch, seq, heads*hd] -> [batch, heads, seq, hd] */
  const splitHeads = (scope: string, x: string, heads: number): string =>
    g.one(scope, 'Transpose', [g.one(scope, 'Reshape', [x, g.i64([0, 0, heads, hd])])], { perm: [0, 2, 1, 3] });

  for (let i = 0; i < shape.num_hidden_layers; i++) {
    const w = layerWeightNames(i);
    const p = `/model/layers.${i}`;
    const a = `${p}/self_attn`;
    const x = rmsNorm(`${p}/input_layernorm`, hidden, w.inputNorm);
    const q = rope(`${a}/q_rope`, splitHeads(a, linear(`${a}/q_proj`, x, w.q, w.qBias), nh));
    const k = rope(`${a}/k_rope`, splitHeads(a, linear(`${a}/k_proj`, x, w.k, w.kBias), kv));
    const v = splitHeads(a, linear(`${a}/v_proj`, x, w.v, w.vBias), kv);
    const presentK = g.one(a, 'Concat', [`past_key_values.${i}.key`, k], { axis: 2 }, `present.${i}.key`);
    const presentV = g.one(a, 'Concat', [`past_key_values.${i}.value`, v], { axis: 2 }, `present.${i}.value`);
    // Grouped-query attention: q [b, kv, rep, s, hd] x k^T [b, kv, 1, hd, t].
    const q5 = g.one(a, 'Reshape', [q, g.i64([0, kv, rep, -1, hd])]);
    const kT5 = g.one(a, 'Unsqueeze', [g.one(a, 'Transpose', [presentK], { perm: [0, 1, 3, 2] }), g.i64([2])]);
    const scores = g.one(a, 'Add', [g.one(a, 'Mul', [g.one(a, 'MatMul', [q5, kT5]), g.f32(1 / Math.sqrt(hd))]), mask]);
    const probs = g.one(a, 'Softmax', [scores], { axis: -1 });
    const ctx = g.one(a, 'MatMul', [probs, g.one(a, 'Unsqueeze', [presentV, g.i64([2])])]);
    const merged = g.one(a, 'Reshape', [g.one(a, 'Transpose', [ctx], { perm: [0, 3, 1, 2, 4] }), g.i64([0, 0, nh * hd])]);
    hidden = g.one(p, 'Add', [hidden, linear(`${a}/o_proj`, merged, w.o)]);

    const mlp = `${p}/mlp`;
    const y = rmsNorm(`${p}/post_attention_layernorm`, hidden, w.postNorm);
    const gate = linear(`${mlp}/gate_proj`, y, w.gate);
    const act = g.one(`${mlp}/act_fn`, 'Mul', [gate, g.one(`${mlp}/act_fn`, 'Sigmoid', [gate])]);
    const up = linear(`${mlp}/up_proj`, y, w.up);
    hidden = g.one(p, 'Add', [hidden, linear(`${mlp}/down_proj`, g.one(mlp, 'Mul', [act, up]), w.down)]);
  }

  const normed = rmsNorm('/model/norm', hidden, FINAL_NORM);
  const lmHead = g.one('/lm_head', 'Transpose', [EMBED], { perm: [1, 0] });
  g.one('/lm_head', 'MatMul', [normed, lmHead], {}, 'logits');

  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'local-llm-harness make-qwen-model',
    producer_version: opts.producerVersion ?? '1',
    doc_string: opts.doc,
    graph: { name: 'main_graph', node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  };
}
