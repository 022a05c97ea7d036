import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxBackend } from '../src/models/onnx/backend.ts';
import { hasShared, skipReason, stories260K } from './shared.ts';

/** Log-probabilities of `tokens[i]` given `tokens[:i]`, from one plain onnxruntime forward pass (no transformers.js). */
async function plainLogprobs(session: ort.InferenceSession, tokens: number[]): Promise<number[][]> {
  const n = tokens.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), [1, n]),
  };
  for (let l = 0; l < 5; l++) {
    for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, 4, 0, 8]);
  }
  const out = await session.run(feeds);
  const logits = out.logits.data as Float32Array;
  const vocab = 512;
  const rows: number[][] = [];
  for (let t = 0; t < n; t++) {
    const row = Array.from(logits.subarray(t * vocab, (t + 1) * vocab));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    rows.push(row.map((x) => x - lse));
  }
  return rows;
}

const requests = [
  { context: 'Once upon a time, there was a', continuation: ' little girl' },
  { context: 'Once upon a time, there was a ', continuation: 'big dog named Max' },
  { context: 'The cat sat on the', continuation: ' mat' },
  { context: 'Question: Which is a planet?\nAnswer:', continuation: ' Mars, the red one' },
  { context: 'Lily and Tom went to the park. They', continuation: ' played on the swings and laughed.' },
  { context: '', continuation: 'One day' },
];

describe.skipIf(!hasShared)(`log-likelihood on stories260K ${hasShared ? '' : skipReason}`, () => {
  let backend: OnnxBackend;
  let unbatched: OnnxBackend;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    const opts = { model: stories260K, dtype: 'fp32' as const, device: 'cpu', maxBatchTokens: 1 << 16, addBosToken: false };
    backend = await OnnxBackend.load({ ...opts, batchSize: 8 });
    unbatched = await OnnxBackend.load({ ...opts, batchSize: 1 });
    session = await ort.InferenceSession.create(join(stories260K, 'onnx', 'model.onnx'));
  });

  it('equals the log-softmax of one plain forward pass over context + continuation', async () => {
    const results = await backend.loglikelihood(requests);
    for (const [i, r] of requests.entries()) {
      // lm-evaluation-harness: trailing context whitespace moves to the continuation; whole string encoded once.
      const spaces = r.context.length - r.context.trimEnd().length;
      const ctx = r.context.slice(0, r.context.length - spaces);
      const cont = r.context.slice(r.context.length - spaces) + r.continuation;
      const ctxIds = ctx === '' ? [2] : backend.tokenize(ctx);
      const whole = ctx === '' ? [2, ...backend.tokenize(cont)] : backend.tokenize(ctx + cont);
      const rows = await plainLogprobs(session, whole.slice(0, -1));
      let expected = 0;
      let greedy = true;
      for (let t = ctxIds.length; t < whole.length; t++) {
        const row = rows[t - 1];
        expected += row[whole[t]];
        if (row.indexOf(Math.max(...row)) !== whole[t]) greedy = false;
      }
      expect(results[i].logprob).toBeCloseTo(expected, 4);
      expect(results[i].isGreedy).toBe(greedy);
      expect(results[i].continuationTokens).toBe(whole.length - ctxIds.length);
    }
  });

  it('moves the trailing space of the context to the continuation', async () => {
    const [a, b] = await backend.loglikelihood([
      { context: 'The cat sat on the ', continuation: 'mat' },
      { context: 'The cat sat on the', continuation: ' mat' },
    ]);
    expect(a.logprob).toBe(b.logprob);
    expect(a.contextTokens).toBe(b.contextTokens);
  });

  it('gives the same numbers batched and unbatched', async () => {
    const batched = await backend.loglikelihood(requests);
    const single = await unbatched.loglikelihood(requests);
    batched.forEach((r, i) => {
      expect(r.logprob).toBeCloseTo(single[i].logprob, 4);
      expect(r.isGreedy).toBe(single[i].isGreedy);
    });
  });

  it('scores one-token continuations of a shared context in one forward pass, equal to separate calls', async () => {
    const context = 'Question: What color is the sky?\nA. blue\nB. green\nC. red\nD. black\nAnswer:';
    const choices = [' A', ' B', ' C', ' D'].map((continuation) => ({ context, continuation }));
    const before = backend.stats.forwardCalls;
    const grouped = await backend.loglikelihood(choices);
    expect(backend.stats.forwardCalls - before).toBe(1);
    // This tokenizer encodes " B" as one token but " A" as "▁" + "A": the context is a prefix of context + "▁",
    // so all four still share one pass.
    expect(grouped.map((r) => r.continuationTokens)).toEqual([2, 1, 2, 2]);
    for (const [i, req] of choices.entries()) {
      const [alone] = await unbatched.loglikelihood([req]);
      expect(grouped[i].logprob).toBeCloseTo(alone.logprob, 4);
    }
    // Different answers have different likelihoods (the test would pass vacuously on a constant).
    expect(new Set(grouped.map((r) => r.logprob.toFixed(6))).size).toBe(4);
  });

  it('a batch sharing a long few-shot prefix computes it once, with the same numbers as without', async () => {
    const shots =
      'The following are multiple choice questions (with answers) about stories.\n\n' +
      ['Who found the ball?\nA. Lily\nB. Tom\nC. Max\nD. Sue\nAnswer: A', 'What did the dog eat?\nA. a cake\nB. a bone\nC. a shoe\nD. a hat\nAnswer: B'].join('\n\n') +
      '\n\n';
    const questions = ['Where did they play?', 'Who was sad?', 'What was red?', 'Why did Tom smile?', 'When did the sun come out?'];
    const reqs = questions.flatMap((q) =>
      [' A', ' B', ' C', ' D'].map((continuation) => ({ context: `${shots}${q}\nA. the park\nB. the sea\nC. home\nD. school\nAnswer:`, continuation })),
    );
    const noPrefix = await OnnxBackend.load({ model: stories260K, dtype: 'fp32', device: 'cpu', maxBatchTokens: 1 << 16, addBosToken: false, batchSize: 8, prefixCache: false });
    try {
      const before = { ...backend.stats };
      const cached = await backend.loglikelihood(reqs);
      expect(backend.stats.prefixCacheHits - before.prefixCacheHits).toBe(1);
      expect(backend.stats.prefixTokensSaved - before.prefixTokensSaved).toBeGreaterThan(100);
      const plain = await noPrefix.loglikelihood(reqs);
      const single = await unbatched.loglikelihood(reqs);
      expect(noPrefix.stats.prefixCacheHits).toBe(0);
      cached.forEach((r, i) => {
        expect(r.logprob).toBeCloseTo(plain[i].logprob, 4);
        expect(r.logprob).toBeCloseTo(single[i].logprob, 4);
        expect(r.isGreedy).toBe(single[i].isGreedy);
      });
      // And against one plain onnxruntime pass for the first request.
      const ctxIds = backend.tokenize(reqs[0].context);
      const whole = backend.tokenize(reqs[0].context + reqs[0].continuation);
      const rows = await plainLogprobs(session, whole.slice(0, -1));
      let expected = 0;
      for (let t = ctxIds.length; t < whole.length; t++) expected += rows[t - 1][whole[t]];
      expect(cached[0].logprob).toBeCloseTo(expected, 4);
    } finally {
      await noPrefix.dispose();
    }
  });

  it('q8 (dynamically quantized): each distinct input alone, so batching and grouping cannot change a number', async () => {
    // DynamicQuantizeLinear scales activations by the whole input tensor: with other sequences or padding in the
    // pass, q8 log-likelihoods moved by up to 0.58 nats. The backend computes each distinct input alone.
    const opts = { model: stories260K, dtype: 'q8' as const, device: 'cpu', maxBatchTokens: 1 << 16, addBosToken: false };
    const q8 = await OnnxBackend.load({ ...opts, batchSize: 8 });
    const q8single = await OnnxBackend.load({ ...opts, batchSize: 1, prefixCache: false });
    try {
      expect(q8.record.batching).toMatch(/^per-sequence/);
      const context = 'Question: What color is the sky?\nA. blue\nB. green\nC. red\nD. black\nAnswer:';
      const reqs = [...requests, ...[' A', ' B', ' C', ' D'].map((continuation) => ({ context, continuation }))];
      const together = await q8.loglikelihood(reqs);
      const apart = await Promise.all(reqs.map(async (r) => (await q8single.loglikelihood([r]))[0]));
      together.forEach((r, i) => expect(r.logprob).toBe(apart[i].logprob));
    } finally {
      await q8.dispose();
      await q8single.dispose();
    }
  });

  it('marks the model\'s own greedy continuation as greedy', async () => {
    const gen = await backend.generate('Once upon a time', { maxNewTokens: 6 });
    const [r] = await backend.loglikelihood([{ context: 'Once upon a time', continuation: gen.text }]);
    expect(gen.text.length).toBeGreaterThan(0);
    expect(r.isGreedy).toBe(true);
  });
});
