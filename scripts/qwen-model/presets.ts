/**
 * Qwen2.5 shapes and the JSON files that describe them.
 *
 * `0.5b` is Qwen2.5-0.5B(-Instruct)'s configuration exactly. `tiny` keeps everything that does not cost compute
 * (vocabulary, tokenizer, chat template, RoPE theta, norm eps, biases, tied embeddings, GQA with 2 KV heads, 32K
 * positions) and shrinks the rest: 2 layers, hidden 64, 4 query heads of 16, intermediate 128.
 */

export interface QwenShape {
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  /** Not a Qwen2 config.json field: hidden_size / num_attention_heads, as transformers derives it. */
  head_dim: number;
  intermediate_size: number;
  vocab_size: number;
  rope_theta: number;
  rms_norm_eps: number;
  max_position_embeddings: number;
}

const QWEN25_COMMON = {
  vocab_size: 151936,
  rope_theta: 1_000_000,
  rms_norm_eps: 1e-6,
  max_position_embeddings: 32768,
  num_key_value_heads: 2,
} as const;

export const PRESETS = {
  '0.5b': {
    ...QWEN25_COMMON,
    hidden_size: 896,
    num_hidden_layers: 24,
    num_attention_heads: 14,
    head_dim: 64,
    intermediate_size: 4864,
  },
  tiny: {
    ...QWEN25_COMMON,
    hidden_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    head_dim: 16,
    intermediate_size: 128,
  },
} satisfies Record<string, QwenShape>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPreset(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** Token ids of Qwen2.5's tokenizer that the JSON files name. */
export const TOKENS = { endoftext: 151643, im_start: 151644, im_end: 151645 } as const;

/**
 * config.json: every field of Qwen/Qwen2.5-0.5B-Instruct's config.json, in its order, with the shape fields of the
 * preset; plus transformers.js's own block telling it that `model.onnx` keeps its weights in `model.onnx_data`.
 */
export function configJson(shape: QwenShape): Record<string, unknown> {
  if (shape.hidden_size !== shape.num_attention_heads * shape.head_dim) throw new Error('head_dim must be hidden_size / num_attention_heads');
  return {
    architectures: ['Qwen2ForCausalLM'],
    attention_dropout: 0.0,
    bos_token_id: TOKENS.endoftext,
    eos_token_id: TOKENS.im_end,
    hidden_act: 'silu',
    hidden_size: shape.hidden_size,
    initializer_range: 0.02,
    intermediate_size: shape.intermediate_size,
    max_position_embeddings: shape.max_position_embeddings,
    max_window_layers: 21,
    model_type: 'qwen2',
    num_attention_heads: shape.num_attention_heads,
    num_hidden_layers: shape.num_hidden_layers,
    num_key_value_heads: shape.num_key_value_heads,
    rms_norm_eps: shape.rms_norm_eps,
    rope_theta: shape.rope_theta,
    sliding_window: 32768,
    tie_word_embeddings: true,
    torch_dtype: 'bfloat16',
    transformers_version: '4.43.1',
    use_cache: true,
    use_sliding_window: false,
    vocab_size: shape.vocab_size,
    'transformers.js_config': { use_external_data_format: { 'model.onnx': 1 } },
  };
}

/** generation_config.json of Qwen/Qwen2.5-0.5B-Instruct (the 3B and 7B ones differ: repetition_penalty 1.05). */
export const GENERATION_CONFIG = {
  bos_token_id: TOKENS.endoftext,
  pad_token_id: TOKENS.endoftext,
  do_sample: true,
  eos_token_id: [TOKENS.im_end, TOKENS.endoftext],
  repetition_penalty: 1.1,
  temperature: 0.7,
  top_p: 0.8,
  top_k: 20,
  transformers_version: '4.37.0',
} as const;
