/**
 * Load and prefill cost of a Qwen-shaped model (scripts/make-qwen-model.ts) in onnxruntime-node, per dtype, each in
 * a fresh process so memory figures do not mix:
 *
 *   npx tsx scripts/make-qwen-model.ts --preset 0.5b --out models/qwen2.5-0.5b-shape
 *   npx tsx bench/qwen-model.ts [models/qwen2.5-0.5b-shape] [--dtypes fp32,q8,q4] [--tokens 512] [--runs 3] [--threads N]
 *
 * Reports file sizes, session load time (wall and CPU), RSS after load, peak RSS, and one forward pass over
 * `--tokens` tokens (batch 1, empty cache): the first run and the best of the others. CPU time is process CPU
 * (all threads), so on a shared, noisy machine it says more than wall time. Nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const ONNX_FILE = { fp32: 'model.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' } as const;
type Dtype = keyof typeof ONNX_FILE;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

interface ChildResult {
  dtype: Dtype;
  load: Timing;
  rssAfterLoadMiB: number;
  prefill: Timing[];
  peakRssMiB: number;
}

function measure<T>(fn: () => Promise<T>): Promise<[T, Timing]> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return fn().then((v) => {
    const c = process.cpuUsage(cpu);
    return [v, { wallMs: performance.now() - wall, cpuMs: (c.user + c.system) / 1000 }];
  });
}

const mib = (bytes: number) => bytes / 2 ** 20;

async function child(dir: string, dtype: Dtype, tokens: number, runs: number, threads?: number): Promise<ChildResult> {
  const config = (await import(join(dir, 'config.json'), { with: { type: 'json' } })).default as Record<string, number>;
  const options: ort.InferenceSession.SessionOptions = threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
  const [session, load] = await measure(() => ort.InferenceSession.create(join(dir, 'onnx', ONNX_FILE[dtype]), options));
  const rssAfterLoadMiB = mib(process.memoryUsage().rss);
  const ids = BigInt64Array.from({ length: tokens }, (_, i) => BigInt((i * 7919 + 13) % 151643));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [1, tokens]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(tokens).fill(1n), [1, tokens]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: tokens }, (_, i) => BigInt(i)), [1, tokens]),
  };
  const headDim = config.hidden_size / config.num_attention_heads;
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const k of ['key', 'value']) feeds[`past_key_values.${i}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, config.num_key_value_heads, 0, headDim]);
  }
  const prefill: Timing[] = [];
  for (let r = 0; r < runs; r++) prefill.push((await measure(() => session.run(feeds)))[1]);
  await session.release();
  return { dtype, load, rssAfterLoadMiB, prefill, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dtypes: { type: 'string', default: 'fp32,q8,q4' },
    tokens: { type: 'string', default: '512' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string' },
    child: { type: 'string' },
  },
});
const dir = resolve(positionals[0] ?? 'models/qwen2.5-0.5b-shape');
const tokens = Number(values.tokens);
const runs = Math.max(1, Number(values.runs));
const threads = values.threads ? Number(values.threads) : undefined;

if (values.child) {
  process.stdout.write(`${JSON.stringify(await child(dir, values.child as Dtype, tokens, runs, threads))}\n`);
} else {
  const dtypes = values.dtypes.split(',') as Dtype[];
  console.log(`model: ${dir}`);
  for (const f of readdirSync(join(dir, 'onnx')).sort()) console.log(`  onnx/${f}: ${mib(statSync(join(dir, 'onnx', f)).size).toFixed(1)} MiB`);
  console.log(`prefill: batch 1, ${tokens} tokens, empty cache; onnxruntime-node ${ort.env.versions.common}, threads ${threads ?? 'default'}`);
  const f = (t: Timing) => `${(t.wallMs / 1000).toFixed(2)} s wall / ${(t.cpuMs / 1000).toFixed(2)} s CPU`;
  for (const dtype of dtypes) {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), dir, '--child', dtype, '--tokens', String(tokens), '--runs', String(runs)];
    if (threads) args.push('--threads', String(threads));
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      console.log(`${dtype}: failed\n${r.stderr}`);
      continue;
    }
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
    const rest = res.prefill.slice(1);
    const best = rest.length ? rest.reduce((a, b) => (a.wallMs < b.wallMs ? a : b)) : undefined;
    console.log(
      `${dtype.padEnd(4)}  load ${f(res.load)}, RSS after load ${res.rssAfterLoadMiB.toFixed(0)} MiB, peak RSS ${res.peakRssMiB.toFixed(0)} MiB\n` +
        `      prefill first ${f(res.prefill[0])}${best ? `; best of next ${rest.length}: ${f(best)}` : ''}`,
    );
  }
}
