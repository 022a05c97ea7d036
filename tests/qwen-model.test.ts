/**
 * The Qwen2.5-shaped test model (scripts/make-qwen-model.ts): it loads and runs in onnxruntime-node and in
 * transformers.js for fp32, q8 and q4, its key/value cache gives the logits of a full forward pass (also with left
 * and right padding), its tokenizer is Qwen's with Qwen2.5-Instruct's chat template, its quantized files have the
 * layout onnxruntime's quantizers write, and the same seed gives byte-identical files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { buildQwenModel, ONNX_FILE, QWEN_DTYPES, type BuildResult, type QwenDtype } from '../scripts/qwen-model/build.ts';
import { GENERATION_CONFIG, PRESETS } from '../scripts/qwen-model/presets.ts';
import { DataType, decodeModel, getAttribute, loadModel, tensorData, type ModelProto, type TensorProto } from '../src/models/onnx/proto.ts';
import { fixtureManifest, qwenFixture } from './support/qwen-fixture.ts';

const shape = PRESETS.tiny;
const V = shape.vocab_size;
const KV = shape.num_key_value_heads;
const HD = shape.head_dim;
const LAYERS = shape.num_hidden_layers;
const PAD = 151643;

const QWEN_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

let dir: string;
const sessions = new Map<QwenDtype, ort.InferenceSession>();

beforeAll(async () => {
  dir = await qwenFixture('tiny');
  for (const d of QWEN_DTYPES) {
    sessions.set(d, await ort.InferenceSession.create(join(dir, 'onnx', ONNX_FILE[d]), { intraOpNumThreads: 2, interOpNumThreads: 1 }));
  }
});

afterAll(async () => {
  for (const s of sessions.values()) await s.release();
});

// ------------------------------------------------------------------ raw onnxruntime helpers

type Past = Record<string, ort.Tensor>;

interface Forward {
  logits: Float32Array;
  batch: number;
  seq: number;
  present: Past;
}

const i64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

function emptyPast(batch: number): Past {
  const past: Past = {};
  for (let i = 0; i < LAYERS; i++) {
    for (const k of ['key', 'value']) past[`past_key_values.${i}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [batch, KV, 0, HD]);
  }
  return past;
}

async function forward(session: ort.InferenceSession, ids: number[][], mask: number[][], pos: number[][], past?: Past): Promise<Forward> {
  const out = await session.run({ input_ids: i64(ids), attention_mask: i64(mask), position_ids: i64(pos), ...(past ?? emptyPast(ids.length)) });
  const present: Past = {};
  for (let i = 0; i < LAYERS; i++) {
    for (const k of ['key', 'value']) present[`past_key_values.${i}.${k}`] = out[`present.${i}.${k}`];
  }
  expect(out.logits.dims).toEqual([ids.length, ids[0].length, V]);
  return { logits: out.logits.data as Float32Array, batch: ids.length, seq: ids[0].length, present };
}

function row(f: Forward, b: number, s: number): Float32Array {
  const start = (b * f.seq + s) * V;
  return f.logits.subarray(start, start + V);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

/** One sequence alone, no padding, no cache: the reference logits at every position. */
async function solo(session: ort.InferenceSession, tokens: number[]): Promise<Forward> {
  return forward(session, [tokens], [tokens.map(() => 1)], [tokens.map((_, i) => i)]);
}

/** transformers.js's position ids: cumulative sum of the mask minus one, padding positions 1. */
function positions(mask: number[][]): number[][] {
  return mask.map((r) => {
    let n = 0;
    return r.map((m) => (m ? n++ : 1));
  });
}

// "Hello world, this is a test." and more, as Qwen ids (any ids would do).
const A = [9707, 1879, 11, 419, 374, 264, 1273];
const B = [785, 3974, 13876, 38835, 34208];

// ------------------------------------------------------------------ tests

describe('Qwen-shaped model: build', () => {
  it('writes the transformers.js layout with the real Qwen2.5-0.5B-Instruct config and generation config', () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      architectures: ['Qwen2ForCausalLM'],
      model_type: 'qwen2',
      hidden_act: 'silu',
      vocab_size: 151936,
      num_key_value_heads: 2,
      rope_theta: 1e6,
      rms_norm_eps: 1e-6,
      max_position_embeddings: 32768,
      tie_word_embeddings: true,
      bos_token_id: 151643,
      eos_token_id: 151645,
      hidden_size: 64,
      num_hidden_layers: 2,
    });
    expect(JSON.parse(readFileSync(join(dir, 'generation_config.json'), 'utf8'))).toEqual(GENERATION_CONFIG);
    const manifest = fixtureManifest(dir);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      ['README.md', 'config.json', 'generation_config.json', 'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_q4.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json'].sort(),
    );
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/RANDOM weights[\s\S]*npx tsx scripts\/make-qwen-model\.ts --preset tiny/);
  });

  it('has the onnx-community signature, with fixed KV-head and head_dim dims', () => {
    const s = sessions.get('fp32')!;
    const pkv = Array.from({ length: LAYERS }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat();
    const present = Array.from({ length: LAYERS }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();
    expect(s.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...pkv]);
    expect(s.outputNames).toEqual(['logits', ...present]);
    const meta = Object.fromEntries(s.inputMetadata.map((m) => [m.name, m]));
    expect(meta['past_key_values.0.key']).toMatchObject({ type: 'float32', shape: ['batch_size', KV, 'past_sequence_length', HD] });
    expect(meta.input_ids).toMatchObject({ type: 'int64', shape: ['batch_size', 'sequence_length'] });
    expect(meta.attention_mask).toMatchObject({ type: 'int64', shape: ['batch_size', 'past_sequence_length + sequence_length'] });
  });

  it('same seed: byte-identical files; another seed: other weights, same tokenizer and configs', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'qwen-model-'));
    try {
      const sha = (r: BuildResult) => Object.fromEntries(r.files.map((f) => [f.path, f.sha256]));
      const a = await buildQwenModel({ preset: 'tiny', outDir: join(tmp, 'a'), seed: 0 });
      const b = await buildQwenModel({ preset: 'tiny', outDir: join(tmp, 'b'), seed: 0 });
      const c = await buildQwenModel({ preset: 'tiny', outDir: join(tmp, 'c'), seed: 1 });
      const t = a.times.total;
      console.log(`tiny build (fp32+q8+q4): ${t.wallSeconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s CPU`);
      expect(sha(b)).toEqual(sha(a));
      expect(sha(fixtureManifest(dir))).toEqual(sha(a)); // the cached fixture is the same build
      for (const f of ['onnx/model.onnx_data', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx']) expect(sha(c)[f]).not.toBe(sha(a)[f]);
      for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'generation_config.json']) expect(sha(c)[f]).toBe(sha(a)[f]);
      const w = (d: string) => new Float32Array(tensorData(loadModel(join(d, 'onnx/model.onnx')).graph!.initializer!.find((x) => x.name === 'model.layers.0.self_attn.q_proj.weight')!, join(d, 'onnx')).slice().buffer);
      const w0 = w(join(tmp, 'a'));
      const w1 = w(join(tmp, 'c'));
      expect(Math.abs(cosine(w0, w1))).toBeLessThan(0.1);
      const std = Math.sqrt(w0.reduce((s, v) => s + v * v, 0) / w0.length);
      expect(std).toBeGreaterThan(0.018);
      expect(std).toBeLessThan(0.022);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('Qwen-shaped model: onnxruntime-node', () => {
  it('runs fp32, q8 and q4; the quantized logits follow fp32', async () => {
    const ref = await solo(sessions.get('fp32')!, A);
    for (const d of ['q8', 'q4'] as const) {
      const out = await solo(sessions.get(d)!, A);
      for (let s = 0; s < A.length; s++) {
        const r = row(out, 0, s);
        expect(r.every(Number.isFinite)).toBe(true);
        // Right packing and scales give logits close to fp32's; a wrong layout gives unrelated ones (cosine ~0).
        expect(cosine(r, row(ref, 0, s))).toBeGreaterThan(0.9);
      }
    }
  });

  it('decoding with the KV cache equals a full forward pass (fp32 within 1e-4)', async () => {
    const s = sessions.get('fp32')!;
    const ref = await solo(s, A);
    let step = await forward(s, [A.slice(0, 3)], [[1, 1, 1]], [[0, 1, 2]]);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(row(step, 0, i), row(ref, 0, i))).toBeLessThan(1e-4);
    for (let t = 3; t < A.length; t++) {
      step = await forward(s, [[A[t]]], [A.slice(0, t + 1).map(() => 1)], [[t]], step.present);
      expect(maxAbsDiff(row(step, 0, 0), row(ref, 0, t))).toBeLessThan(1e-4);
    }
  });

  it('left-padded batch of two: full pass and cached decoding give each sequence its own logits', async () => {
    const s = sessions.get('fp32')!;
    const refA = await solo(s, A);
    const refB = await solo(s, B);
    const a = A.slice(0, 6);
    const b = B.slice(0, 4);
    // Full pass over the padded batch.
    const mask = [a.map(() => 1), [0, 0, ...b.map(() => 1)]];
    const full = await forward(s, [a, [PAD, PAD, ...b]], mask, positions(mask));
    for (let i = 0; i < 6; i++) expect(maxAbsDiff(row(full, 0, i), row(refA, 0, i))).toBeLessThan(1e-4);
    for (let i = 0; i < 4; i++) expect(maxAbsDiff(row(full, 1, i + 2), row(refB, 0, i))).toBeLessThan(1e-4);
    // Prompt of 4 columns, then one token a step for both rows.
    let m = [[1, 1, 1, 1], [0, 0, 1, 1]];
    let step = await forward(s, [a.slice(0, 4), [PAD, PAD, b[0], b[1]]], m, positions(m));
    for (let i = 0; i < 4; i++) expect(maxAbsDiff(row(step, 0, i), row(refA, 0, i))).toBeLessThan(1e-4);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(row(step, 1, i + 2), row(refB, 0, i))).toBeLessThan(1e-4);
    for (let k = 0; k < 2; k++) {
      m = m.map((r) => [...r, 1]);
      step = await forward(s, [[a[4 + k]], [b[2 + k]]], m, [[4 + k], [2 + k]], step.present);
      expect(maxAbsDiff(row(step, 0, 0), row(refA, 0, 4 + k))).toBeLessThan(1e-4);
      expect(maxAbsDiff(row(step, 1, 0), row(refB, 0, 2 + k))).toBeLessThan(1e-4);
    }
  });

  it('right-padded batch of two: full pass and cached decoding past the padding give each sequence its own logits', async () => {
    const s = sessions.get('fp32')!;
    const refA = await solo(s, A);
    const refB = await solo(s, B);
    const a = A.slice(0, 6);
    const b = B.slice(0, 4);
    const mask = [a.map(() => 1), [...b.map(() => 1), 0, 0]];
    const full = await forward(s, [a, [...b, PAD, PAD]], mask, positions(mask));
    for (let i = 0; i < 6; i++) expect(maxAbsDiff(row(full, 0, i), row(refA, 0, i))).toBeLessThan(1e-4);
    for (let i = 0; i < 4; i++) expect(maxAbsDiff(row(full, 1, i), row(refB, 0, i))).toBeLessThan(1e-4);
    // Next token for both: row b's cache has a masked hole (the two pads) before it.
    const step = await forward(s, [[A[6]], [B[4]]], mask.map((r) => [...r, 1]), [[6], [4]], full.present);
    expect(maxAbsDiff(row(step, 0, 0), row(refA, 0, 6))).toBeLessThan(1e-4);
    expect(maxAbsDiff(row(step, 1, 0), row(refB, 0, 4))).toBeLessThan(1e-4);
  });

  it('q4 decoding with the KV cache follows its full forward pass', async () => {
    const s = sessions.get('q4')!;
    const ref = await solo(s, A);
    let step = await forward(s, [A.slice(0, 3)], [[1, 1, 1]], [[0, 1, 2]]);
    for (let t = 3; t < A.length; t++) {
      step = await forward(s, [[A[t]]], [A.slice(0, t + 1).map(() => 1)], [[t]], step.present);
      expect(maxAbsDiff(row(step, 0, 0), row(ref, 0, t))).toBeLessThan(1e-3);
    }
  });
});

describe('Qwen-shaped model: quantized graphs', () => {
  const load = (d: QwenDtype): ModelProto => decodeModel(readFileSync(join(dir, 'onnx', ONNX_FILE[d])));
  const count = (m: ModelProto, op: string) => m.graph!.node!.filter((n) => n.op_type === op).length;
  const init = (m: ModelProto, name: string): TensorProto => {
    const t = m.graph!.initializer!.find((x) => x.name === name);
    if (!t) throw new Error(`no initializer ${name}`);
    return t;
  };

  it('q8 is quantize_dynamic: DynamicQuantizeLinear + MatMulInteger (int8 symmetric weights) + Cast + Mul, uint8 embedding', () => {
    const m = load('q8');
    expect(m.producer_name).toBe('onnx.quantize');
    expect(count(m, 'MatMulInteger')).toBe(7 * LAYERS);
    expect(count(m, 'DynamicQuantizeLinear')).toBe(4 * LAYERS); // q/k/v share one, gate/up share one
    // fp32 MatMuls left: the two attention ones per layer and the tied lm_head.
    expect(count(m, 'MatMul')).toBe(2 * LAYERS + 1);
    const mmi = m.graph!.node!.find((n) => n.name === '/model/layers.0/self_attn/q_proj/MatMul_quant')!;
    const act = '/model/layers.0/input_layernorm/Mul_1_output_0';
    const w = 'model.layers.0.self_attn.q_proj.weight';
    expect(mmi.input).toEqual([`${act}_quantized`, `${w}_quantized`, `${act}_zero_point`, `${w}_zero_point`]);
    const after = m.graph!.node!.filter((n) => n.input?.includes(mmi.output![0]) || n.name?.startsWith('/model/layers.0/self_attn/q_proj/MatMul_quant_'));
    expect(after.map((n) => n.op_type)).toEqual(['Cast', 'Mul', 'Mul']);
    expect(getAttribute(after[0], 'to')?.i).toBe(DataType.FLOAT);
    // Weights: int8, zero point 0, scale max|w| / 127.
    const fp32 = loadModel(join(dir, 'onnx', 'model.onnx'), { loadExternalData: true });
    const wf = new Float32Array(tensorData(init(fp32, w)).slice().buffer);
    const absmax = wf.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(init(m, `${w}_quantized`).data_type).toBe(DataType.INT8);
    expect(init(m, `${w}_zero_point`)).toMatchObject({ data_type: DataType.INT8, int32_data: [0] });
    expect(init(m, `${w}_scale`).float_data![0]).toBeCloseTo(absmax / 127, 9);
    // Embedding: Gather on uint8, dequantized after; the lm_head reads the transposed uint8 table dequantized.
    const gather = m.graph!.node!.find((n) => n.op_type === 'Gather' && n.input![1] === 'input_ids')!;
    expect(gather.input![0]).toBe('model.embed_tokens.weight_quantized');
    expect(init(m, 'model.embed_tokens.weight_quantized').data_type).toBe(DataType.UINT8);
    expect(count(m, 'DequantizeLinear')).toBe(2);
    expect(m.graph!.initializer!.some((t) => t.data_type === DataType.FLOAT && (t.dims?.length ?? 0) === 2)).toBe(false);
  });

  it('q4 is MatMul4BitsQuantizer: MatMulNBits (4 bits, block 32, zero points) for the projections, fp32 embedding', () => {
    const m = load('q4');
    expect(m.opset_import).toContainEqual({ domain: 'com.microsoft', version: 1 });
    const nbits = m.graph!.node!.filter((n) => n.op_type === 'MatMulNBits');
    expect(nbits).toHaveLength(7 * LAYERS);
    const down = nbits.find((n) => n.name === '/model/layers.0/mlp/down_proj/MatMul_Q4')!;
    expect(down.domain).toBe('com.microsoft');
    const w = 'model.layers.0.mlp.down_proj.weight';
    expect(down.input!.slice(1)).toEqual([`${w}_Q4`, `${w}_scales`, `${w}_zero_points`]);
    const attrs = Object.fromEntries(down.attribute!.map((a) => [a.name, a.i]));
    const K = shape.intermediate_size;
    const N = shape.hidden_size;
    expect(attrs).toEqual({ K, N, bits: 4, block_size: 32 });
    expect(init(m, `${w}_Q4`)).toMatchObject({ data_type: DataType.UINT8, dims: [N, K / 32, 16] });
    expect(init(m, `${w}_scales`)).toMatchObject({ data_type: DataType.FLOAT, dims: [(N * K) / 32] });
    expect(init(m, `${w}_zero_points`)).toMatchObject({ data_type: DataType.UINT8, dims: [N * Math.ceil(K / 32 / 2)] });
    expect(init(m, 'model.embed_tokens.weight').data_type).toBe(DataType.FLOAT);
    expect(count(m, 'MatMul')).toBe(2 * LAYERS + 1);
  });
});

describe('Qwen-shaped model: transformers.js', () => {
  let tokenizer: PreTrainedTokenizer;

  beforeAll(async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = dirname(dir);
    tokenizer = await AutoTokenizer.from_pretrained(basename(dir));
  });

  afterAll(() => {
    env.allowRemoteModels = true;
  });

  it("encodes like Qwen's tokenizer, without BOS, with Qwen2.5's special tokens only", () => {
    expect(tokenizer.encode('Hello world')).toEqual([9707, 1879]);
    expect(tokenizer.decode([9707, 1879])).toBe('Hello world');
    expect(tokenizer.encode('<|im_start|>user\nHi<|im_end|>')).toEqual([151644, 872, 198, 13048, 151645]);
    expect(tokenizer.eos_token).toBe('<|im_end|>');
    expect(tokenizer.pad_token).toBe('<|endoftext|>');
    expect(tokenizer.bos_token ?? null).toBeNull();
    // Qwen3's <think> (151667) is not a token of Qwen2.5.
    expect(tokenizer.encode('<think>')).not.toContain(151667);
    expect(tokenizer.encode('<tool_call>')).toEqual([151657]);
  });

  it("renders Qwen2.5-Instruct's ChatML: default system message, a given one, tools", () => {
    const render = (messages: { role: string; content: string }[], extra: Record<string, unknown> = {}) =>
      tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true, ...extra }) as string;
    expect(render([{ role: 'user', content: 'Hello' }])).toBe(
      `<|im_start|>system\n${QWEN_SYSTEM}<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n`,
    );
    expect(
      render([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ]),
    ).toBe('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n');
    const tools = [{ type: 'function', function: { name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } } }];
    const withTools = render([{ role: 'user', content: 'Time?' }], { tools });
    expect(withTools.startsWith(`<|im_start|>system\n${QWEN_SYSTEM}\n\n# Tools\n\nYou may call one or more functions to assist with the user query.`)).toBe(true);
    expect(withTools).toContain('"name": "get_time"');
    expect(withTools).toContain('<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n<|im_start|>user\nTime?<|im_end|>\n');
  });

  for (const dtype of QWEN_DTYPES) {
    it(`loads ${dtype} and generates greedily with the KV cache`, async () => {
      const model = await AutoModelForCausalLM.from_pretrained(basename(dir), { dtype, session_options: { intraOpNumThreads: 2, interOpNumThreads: 1 } });
      try {
        const session = (model as unknown as { sessions: Record<string, { run: (feeds: Record<string, ort.Tensor>, ...rest: unknown[]) => Promise<unknown> }> }).sessions.model;
        const seen: { seq: number; past: number }[] = [];
        const run = session.run.bind(session);
        session.run = (feeds, ...rest) => {
          seen.push({ seq: feeds.input_ids.dims[1], past: feeds['past_key_values.0.key'].dims[2] });
          return run(feeds, ...rest);
        };
        const prompt = tokenizer.apply_chat_template([{ role: 'user', content: 'Hello' }], { tokenize: false, add_generation_prompt: true }) as string;
        const inputs = tokenizer(prompt);
        const promptIds = Array.from(inputs.input_ids.data as BigInt64Array, Number);
        const out = (await model.generate({ ...inputs, max_new_tokens: 5, do_sample: false, repetition_penalty: 1.0 })) as { data: BigInt64Array; dims: number[] };
        const ids = Array.from(out.data, Number);
        expect(ids.slice(0, promptIds.length)).toEqual(promptIds);
        expect(ids.length).toBeGreaterThan(promptIds.length);
        // First call: the whole prompt on an empty cache; then one token a call on the growing cache.
        expect(seen[0]).toEqual({ seq: promptIds.length, past: 0 });
        expect(seen.slice(1).every((c, i) => c.seq === 1 && c.past === promptIds.length + i)).toBe(true);
        if (dtype === 'fp32') {
          // Greedy by full forward passes without a cache picks the same tokens.
          const s = sessions.get('fp32')!;
          const mine = [...promptIds];
          while (mine.length < ids.length) {
            const f = await solo(s, mine);
            mine.push(argmax(row(f, 0, mine.length - 1)));
          }
          expect(mine).toEqual(ids);
        }
      } finally {
        await model.dispose();
      }
    });
  }
});
