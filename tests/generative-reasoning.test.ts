import { describe, expect, it } from 'vitest';
import type { Doc, TaskDocuments } from '../src/core/doc.ts';
import { emptyStats, type GenerationOptions, type GenerationResult, type ModelBackend } from '../src/models/backend.ts';
import { BUDGET_CLOSE } from '../src/tasks/generation.ts';
import { generativeKind } from '../src/tasks/generative/kind.ts';
import { GenerativeSampleSchema } from '../src/tasks/generative/sample.ts';
import { GenerativeTaskSchema } from '../src/tasks/generative/schema.ts';

/** A two-question MMLU-Pro-shaped task whose answers are read by TIGER-Lab's patterns. */
const task = GenerativeTaskSchema.parse({
  name: 't',
  kind: 'generative',
  dataset: { format: 'jsonl', path: 'x.jsonl' },
  prompt: { doc_to_text: 'Q: {{ question }}' },
  target: '{{ answer }}',
  stop: ['Question:'],
  answers: [
    {
      name: 'tiger-lab',
      metric: 'acc',
      patterns: [{ regex: 'answer is \\(?([A-J])\\)?' }, { regex: '.*[aA]nswer:\\s*([A-J])' }, { regex: '\\b[A-J]\\b(?!.*\\b[A-J]\\b)', flags: 's' }],
      fallback: { random_choice: { choices: 'options', seed: 12345 } },
    },
  ],
  generation: { maxNewTokens: 64, n: 1, temperature: 0, topP: 1, topK: 0 },
});

const doc = (id: string, answer = 'B'): Doc => ({ id, fields: { question: `q${id}`, options: ['a', 'b', 'c', 'd'], answer }, where: `x.jsonl:${id}` });
const documents = (docs: Doc[]): TaskDocuments => ({ docs, total: docs.length, fewshot: new Map(), files: [], unfiltered: docs });

/**
 * A model that answers from a script: one character is one token, the chat template opens a think block when
 * `opensThink`, and `reply(prompt, opts)` gives the text before the stop sequences are applied.
 */
function scripted(reply: (prompt: string, opts: GenerationOptions) => { text: string; finish?: GenerationResult['finishReason'] }, opensThink = false) {
  const calls: { prompt: string; opts: GenerationOptions }[] = [];
  const model = {
    record: { name: 'scripted' },
    loadSeconds: 0,
    stats: emptyStats(),
    maxLength: 10_000,
    hasChatTemplate: true,
    generationDefaults: {},
    tokenize: (t: string) => [...t].map((c) => c.codePointAt(0)!),
    applyChatTemplate: (m: { content: string }[]) => `<|user|>${m.at(-1)!.content}<|assistant|>${opensThink ? '<think>\n' : ''}`,
    async generate(prompt: string, opts: GenerationOptions): Promise<GenerationResult> {
      calls.push({ prompt, opts });
      const r = reply(prompt, opts);
      let text = r.text.slice(0, opts.maxNewTokens);
      let finishReason = r.finish ?? (r.text.length > opts.maxNewTokens ? 'length' : 'eos');
      const generatedTokens = text.length;
      for (const s of opts.stop ?? []) {
        const at = text.indexOf(s);
        if (at >= 0) {
          text = text.slice(0, at);
          finishReason = 'stop';
        }
      }
      return { text, generatedTokens, promptTokens: prompt.length, finishReason, prefillSeconds: 0, decodeSeconds: 0, settings: { do_sample: false } };
    },
  } as unknown as ModelBackend;
  return { model, calls };
}

const run = async (model: ModelBackend, docs: Doc[], generation = {}) => {
  const kind = generativeKind(task, { documents: documents(docs), model, warn: () => {}, settings: { seed: 1, logPrompts: true, promptMode: 'chat', generation } });
  const samples = (await kind.score(docs)).map((s) => GenerativeSampleSchema.parse(s));
  return { samples, result: kind.aggregate(samples) };
};

describe('reasoning models: the answer is read after the think block', () => {
  it('a closed think block is reasoning; the letters inside it are not the answer', async () => {
    const { model } = scripted(() => ({ text: '<think>Maybe the answer is (C)? No.</think>\n\nThe answer is (B).' }));
    const { samples, result } = await run(model, [doc('1', 'B')]);
    const r = samples[0]!.responses[0]!;
    expect(r.reasoning).toBe('Maybe the answer is (C)? No.');
    expect(r.answer).toBe('\n\nThe answer is (B).');
    expect(r.unclosed_reasoning).toBe(false);
    expect(r.extracted['tiger-lab']).toEqual({ answer: 'B', pattern: 'p1', normalized: 'B', correct: true });
    // Tokens up to and including </think> are reasoning (one character is one token here).
    expect(r.reasoning_tokens).toBe('<think>Maybe the answer is (C)? No.</think>'.length);
    expect(r.reasoning_tokens + r.answer_tokens).toBe(r.generated_tokens);
    expect(result.metrics.acc!.value).toBe(1);
  });

  it('an unclosed think block is no answer and flagged, even when it names a letter', async () => {
    const { model } = scripted(() => ({ text: '<think>I believe the answer is (B) but let me check every option again and again' }));
    const { samples, result } = await run(model, [doc('1', 'B')], { maxNewTokens: 40 });
    const r = samples[0]!.responses[0]!;
    expect(r.unclosed_reasoning).toBe(true);
    expect(r.answer).toBeNull();
    expect(r.truncated).toBe(true);
    expect(r.reasoning_tokens).toBe(40);
    expect(r.extracted['tiger-lab']).toEqual({ answer: null, pattern: null, normalized: null, correct: false });
    // No answer: TIGER-Lab's seeded guess among the 4 options (random.Random(12345).randint(0, 3) = 3: D).
    const details = result.details as { extraction: Record<string, { guesses: { by_doc: Record<string, Record<string, string>> } }>; generation: Record<string, number> };
    expect(details.extraction['tiger-lab']!.guesses.by_doc).toEqual({ '1': { '0': 'D' } });
    expect(result.metrics.acc!.value).toBe(0);
    expect((details.extraction['tiger-lab'] as unknown as { guesses: { made: number } }).guesses.made).toBe(1);
    expect(details.generation.unclosed_reasoning).toBe(1);
    expect(details.generation.share_truncated).toBe(1);
  });

  it('a chat template that opens the think block: the output closes it, or has no answer', async () => {
    const closes = scripted(() => ({ text: 'Weighing A against D.\n</think>\n\nThe answer is (D).' }), true);
    const a = (await run(closes.model, [doc('1', 'D')])).samples[0]!.responses[0]!;
    expect(a.reasoning).toBe('Weighing A against D.');
    expect(a.extracted['tiger-lab']!.answer).toBe('D');
    const never = scripted(() => ({ text: 'Weighing A against D. The answer is (D)', finish: 'eos' }), true);
    const b = (await run(never.model, [doc('1', 'D')])).samples[0]!.responses[0]!;
    expect(b.unclosed_reasoning).toBe(true);
    expect(b.extracted['tiger-lab']!.answer).toBeNull();
    expect(b.truncated).toBe(false);
    // Negative control: the same text without a think block opened in the prompt is an answer.
    const plain = scripted(() => ({ text: 'Weighing A against D. The answer is (D)', finish: 'eos' }), false);
    expect((await run(plain.model, [doc('1', 'D')])).samples[0]!.responses[0]!.extracted['tiger-lab']!.answer).toBe('D');
  });

  it('a reasoning budget closes the think block and asks for the answer with the tokens left', async () => {
    const { model, calls } = scripted((prompt) => (prompt.endsWith(BUDGET_CLOSE) ? { text: 'The answer is (C).' } : { text: 'x'.repeat(500) }), true);
    const { samples } = await run(model, [doc('1', 'C')], { reasoningBudget: 10, maxNewTokens: 64 });
    const r = samples[0]!.responses[0]!;
    expect(calls).toHaveLength(2);
    expect(calls[0]!.opts).toMatchObject({ maxNewTokens: 10, stop: ['</think>'] });
    expect(calls[1]!.opts).toMatchObject({ maxNewTokens: 54, stop: ['Question:'] });
    expect(r.budget_forced).toBe(true);
    expect(r.raw).toBe(`${'x'.repeat(10)}${BUDGET_CLOSE}The answer is (C).`);
    expect(r.generated_tokens).toBe(10 + 'The answer is (C).'.length);
    expect(r.extracted['tiger-lab']!.answer).toBe('C');
    // Thinking that ends within the budget is closed by the model itself: not forced.
    const early = scripted((prompt) => (prompt.endsWith('</think>') ? { text: '\nThe answer is (A).' } : { text: 'short</think>ignored' }), true);
    const e = (await run(early.model, [doc('1', 'A')], { reasoningBudget: 20 })).samples[0]!.responses[0]!;
    expect(e.budget_forced).toBe(false);
    expect(e.raw).toBe('short</think>\nThe answer is (A).');
    expect(e.extracted['tiger-lab']!.answer).toBe('A');
  });
});
