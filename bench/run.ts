/**
 * Speed benchmarks (`npm run bench`): log-likelihood throughput batched vs unbatched, the shared-context
 * grouping, tokenization, and an end-to-end MMLU slice, on stories260K from ../shared (HARNESS_SHARED_DIR).
 * Prints a table; nothing here is asserted (speed targets live here, not in tests).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Bench } from 'tinybench';
import { OnnxBackend } from '../src/models/onnx/backend.ts';
import { HarnessConfigSchema } from '../src/config/schema.ts';
import { runEvaluation } from '../src/runner/run.ts';
import { environment } from '../src/runner/environment.ts';

const shared = resolve(process.env.HARNESS_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared'));
const modelDir = join(shared, 'models', 'stories260K');
if (!existsSync(modelDir)) {
  console.error(`bench: ${modelDir} not found (set HARNESS_SHARED_DIR)`);
  process.exit(2);
}

const env = environment();
console.log(`machine: ${env.cpu}, ${env.cores} cores, Node ${env.node}, onnxruntime ${env.onnxruntime}, transformers.js ${env.transformers_js}`);

// Batching and prefix reuse apply to fp32/fp16/q4 weights; q8 is computed per sequence (see OnnxBackend.perSequence).
const load = (batchSize: number, extra: { dtype?: 'fp32' | 'q8'; prefixCache?: boolean } = {}) =>
  OnnxBackend.load({ model: modelDir, dtype: extra.dtype ?? 'fp32', device: 'cpu', batchSize, maxBatchTokens: 1 << 16, addBosToken: false, prefixCache: extra.prefixCache });
const batched = await load(8);
const single = await load(1);
const noPrefix = await load(8, { prefixCache: false });
const q8 = await load(8, { dtype: 'q8' });

const context = 'The following are multiple choice questions (with answers) about astronomy.\n\n'.repeat(3) + 'Why is the sky blue?\nA. scattering\nB. reflection\nC. oceans\nD. magic\nAnswer:';
const mcRequests = Array.from({ length: 16 }, (_, q) => [' A', ' B', ' C', ' D'].map((c) => ({ context: `${q}. ${context}`, continuation: c }))).flat();
const clozeRequests = Array.from({ length: 32 }, (_, i) => ({ context: `Question: story number ${i} begins how?\nAnswer:`, continuation: ` Once upon a time there was a little ${i % 2 ? 'girl' : 'boy'} who liked to play.` }));

// Five short few-shot examples shared by 8 questions (an MMLU subject's 5-shot prompt, sized for a 512-token model).
const fewshot =
  'The following are multiple choice questions (with answers) about stories.\n\n' +
  Array.from({ length: 5 }, (_, i) => `Who had the ball in story ${i}?\nA. Lily\nB. Tom\nC. Max\nD. Sue\nAnswer: ${'ABCD'[i % 4]}`).join('\n\n') +
  '\n\n';
const fewshotRequests = Array.from({ length: 8 }, (_, q) => [' A', ' B', ' C', ' D'].map((c) => ({ context: `${fewshot}Question ${q}: who was happy?\nA. Lily\nB. Tom\nC. Max\nD. Sue\nAnswer:`, continuation: c }))).flat();

const bench = new Bench({ time: 2000, warmupTime: 300 });
bench
  .add('fp32 loglikelihood: 64 MMLU-style requests, batch 8', () => batched.loglikelihood(mcRequests))
  .add('fp32 loglikelihood: 64 MMLU-style requests, batch 1', () => single.loglikelihood(mcRequests))
  .add('q8 loglikelihood: 64 MMLU-style requests, per sequence', () => q8.loglikelihood(mcRequests))
  .add('fp32 loglikelihood: 32 cloze requests, batch 8', () => batched.loglikelihood(clozeRequests))
  .add('fp32 loglikelihood: 32 cloze requests, batch 1', () => single.loglikelihood(clozeRequests))
  .add('fp32 loglikelihood: 8 questions sharing a 5-shot prefix, prefix cache on', () => batched.loglikelihood(fewshotRequests))
  .add('fp32 loglikelihood: 8 questions sharing a 5-shot prefix, prefix cache off', () => noPrefix.loglikelihood(fewshotRequests))
  .add('fp32 generate: 64 new tokens greedy', () => batched.generate('Once upon a time', { maxNewTokens: 64 }))
  .add('q8 generate: 64 new tokens greedy', () => q8.generate('Once upon a time', { maxNewTokens: 64 }));
await bench.run();
console.table(
  bench.tasks.map((t) => ({
    task: t.name,
    'mean ms': t.result && 'latency' in t.result ? t.result.latency.mean.toFixed(2) : '-',
    'ops/s': t.result && 'throughput' in t.result ? t.result.throughput.mean.toFixed(2) : '-',
  })),
);

// End to end: the README's command shape on a 200-document MMLU slice and ARC-Challenge.
const out = mkdtempSync(join(tmpdir(), 'harness-bench-'));
const config = HarnessConfigSchema.parse({
  model: { id: modelDir, dtype: 'q8' },
  tasks: ['mmlu', 'arc_challenge'],
  dataDir: join(shared, 'datasets'),
  output: out,
  limit: 200,
  seed: 1234,
  progress: 'off',
});
const { record } = await runEvaluation(config, { out: () => {} });
const t = record.timings!;
console.log(
  `end to end (mmlu + arc_challenge, --limit 200, q8, per sequence): total ${t.total_seconds.toFixed(2)} s, ${t.requests} requests, ` +
    `${t.requests_per_second!.toFixed(1)} requests/s, prefill ${Math.round(t.prefill_tokens_per_second!)} tokens/s, ` +
    `${t.forward_calls} forward passes, peak RSS ${(t.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB`,
);
rmSync(out, { recursive: true, force: true });
await batched.dispose();
await single.dispose();
await noPrefix.dispose();
await q8.dispose();
