/**
 * The weights of a Qwen2-architecture model, random: normal(0, 0.02) for embeddings, projections and the q/k/v
 * biases (transformers' `initializer_range`), 1 for the RMSNorm weights. With unit RMSNorm outputs this keeps every
 * activation well inside float32 and fp16 range, logits around std 0.6 for hidden 896.
 *
 * Projection weights are stored as ONNX MatMul's B, [in_features, out_features]: the transpose of PyTorch's
 * `nn.Linear.weight` whose name they carry (as torch.onnx exports store them).
 */
import { Rng } from './rng.ts';
import type { QwenShape } from './presets.ts';

export const WEIGHT_STD = 0.02;
export const BIAS_STD = 0.02;

export interface Weight {
  name: string;
  dims: number[];
  data: Float32Array;
}

export interface LayerWeightNames {
  inputNorm: string;
  q: string;
  qBias: string;
  k: string;
  kBias: string;
  v: string;
  vBias: string;
  o: string;
  postNorm: string;
  gate: string;
  up: string;
  down: string;
}

export function layerWeightNames(i: number): LayerWeightNames {
  const p = `model.layers.${i}`;
  return {
    inputNorm: `${p}.input_layernorm.weight`,
    q: `${p}.self_attn.q_proj.weight`,
    qBias: `${p}.self_attn.q_proj.bias`,
    k: `${p}.self_attn.k_proj.weight`,
    kBias: `${p}.self_attn.k_proj.bias`,
    v: `${p}.self_attn.v_proj.weight`,
    vBias: `${p}.self_attn.v_proj.bias`,
    o: `${p}.self_attn.o_proj.weight`,
    postNorm: `${p}.post_attention_layernorm.weight`,
    gate: `${p}.mlp.gate_proj.weight`,
    up: `${p}.mlp.up_proj.weight`,
    down: `${p}.mlp.down_proj.weight`,
  };
}

export const EMBED = 'model.embed_tokens.weight';
export const FINAL_NORM = 'model.norm.weight';
export const INV_FREQ = 'model.rotary_emb.inv_freq';

/** All weights, in a fixed order (embedding, layers in order, final norm, RoPE inverse frequencies). */
export function* generateWeights(shape: QwenShape, seed: number): Generator<Weight> {
  const H = shape.hidden_size;
  const qOut = shape.num_attention_heads * shape.head_dim;
  const kvOut = shape.num_key_value_heads * shape.head_dim;
  const I = shape.intermediate_size;
  const normal = (name: string, dims: number[], std: number): Weight => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    new Rng(seed, name).fillNormal(data, std);
    return { name, dims, data };
  };
  const ones = (name: string, n: number): Weight => ({ name, dims: [n], data: new Float32Array(n).fill(1) });

  yield normal(EMBED, [shape.vocab_size, H], WEIGHT_STD);
  for (let i = 0; i < shape.num_hidden_layers; i++) {
    const n = layerWeightNames(i);
    yield ones(n.inputNorm, H);
    yield normal(n.q, [H, qOut], WEIGHT_STD);
    yield normal(n.qBias, [qOut], BIAS_STD);
    yield normal(n.k, [H, kvOut], WEIGHT_STD);
    yield normal(n.kBias, [kvOut], BIAS_STD);
    yield normal(n.v, [H, kvOut], WEIGHT_STD);
    yield normal(n.vBias, [kvOut], BIAS_STD);
    yield normal(n.o, [qOut, H], WEIGHT_STD);
    yield ones(n.postNorm, H);
    yield normal(n.gate, [H, I], WEIGHT_STD);
    yield normal(n.up, [H, I], WEIGHT_STD);
    yield normal(n.down, [I, H], WEIGHT_STD);
  }
  yield ones(FINAL_NORM, H);
  // Qwen2RotaryEmbedding: inv_freq[i] = 1 / theta^(2i / head_dim) (not random).
  const half = shape.head_dim / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / Math.pow(shape.rope_theta, (2 * i) / shape.head_dim);
  yield { name: INV_FREQ, dims: [half], data: invFreq };
}
