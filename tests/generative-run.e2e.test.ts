import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessConfigSchema, ModelConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import type { ModelBackend } from '../src/models/backend.ts';
import { readSamples, samplesFile } from '../src/results/files.ts';
import { GenerativeSampleSchema } from '../src/results/samples.ts';
import { RunRecordSchema } from '../src/results/schema.ts';
import { loadModel, runEvaluation } from '../src/runner/run.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';
import { qwenFixture } from './support/qwen-fixture.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };

function runner(model: () => ModelBackend, out: () => string, modelId: () => string) {
  return async (extra: Partial<HarnessConfigInput>) => {
    const config = HarnessConfigSchema.parse({ model: { id: modelId(), dtype: 'fp32' }, tasks: ['mmlu_pro', 'gsm8k'], dataDir: datasetsDir, output: out(), limit: 4, seed: 1234, progress: 'off', ...extra });
    const warnings: string[] = [];
    const { runDir } = await runEvaluation(config, { model: model(), progress: { ...silent, log: (m: string) => warnings.push(m) }, out: () => {} });
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
    const samples = (task: string) => readSamples(samplesFile(runDir, task)).map((s) => GenerativeSampleSchema.parse(s));
    return { record, samples, warnings };
  };
}

describe.skipIf(!hasShared)(`mmlu_pro and gsm8k on stories260K ${hasShared ? '' : skipReason}`, () => {
  let out: string;
  let model: ModelBackend;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'harness-gen-'));
    model = await loadModel(ModelConfigSchema.parse({ id: stories260K, dtype: 'fp32' }));
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(out, { recursive: true, force: true });
  });
  const run = runner(() => model, () => out, () => stories260K);

  it('completes with valid result files and honest near-zero scores', async () => {
    const { record, samples, warnings } = await run({});
    expect(record.status).toBe('complete');
    const pro = record.results.mmlu_pro!;
    const gsm = record.results.gsm8k!;
    expect(pro.n + pro.skipped).toBe(4);
    expect(Object.keys(pro.metrics)).toEqual(['acc']);
    expect(gsm.metrics['exact_match,strict-match']!.value).toBe(0);
    expect(gsm.metrics['exact_match,flexible-extract']!.value).toBe(0);
    // A story model never writes "#### N": nothing to extract, nothing scored as right.
    for (const s of samples('gsm8k')) expect(s.responses[0]!.extracted['strict-match']!.answer).toBeNull();
    // MMLU-Pro: the extracted letters (or TIGER-Lab's guesses) are all that can be right; acc is their share.
    const scored = samples('mmlu_pro').filter((s) => s.skipped === undefined);
    const guesses = (pro.details as { extraction: Record<string, { guesses: { by_doc: Record<string, Record<string, string>> } }> }).extraction['tiger-lab']!.guesses.by_doc;
    const right = scored.filter((s) => s.responses[0]!.extracted['tiger-lab']!.correct || guesses[s.doc_id]?.['0'] === s.target).length;
    expect(pro.metrics.acc!.value).toBeCloseTo(right / scored.length, 12);
    // The 512-token context leaves no room for 2048 new tokens: responses are limited, and the run says so.
    for (const s of scored) expect(s.responses[0]!.max_new_tokens).toBeLessThan(2048);
    expect(warnings.some((w) => /leaves fewer than max_new_tokens/.test(w))).toBe(true);
    // GSM8K's train split is not in ../shared: zero-shot, with a warning and the reason in run.json.
    expect(warnings.some((w) => /gsm8k: its 5 few-shot examples are unavailable/.test(w))).toBe(true);
    expect(record.tasks.gsm8k!.extra!.fewshot_missing).toMatch(/train\.jsonl/);
    const gen = record.tasks.mmlu_pro!.extra!.generation as { settings: Record<string, unknown>; sources: Record<string, string> };
    expect(gen.settings).toMatchObject({ max_new_tokens: 2048, temperature: 0, stop: ['Question:'], repetition_penalty: 1, model_generation_config: 'ignore' });
    expect(gen.sources).toMatchObject({ max_new_tokens: 'task', model_generation_config: 'harness default' });
  });
});

describe.skipIf(!hasShared)('a Qwen-shaped model with its chat template and generation_config.json (repetition_penalty 1.1)', () => {
  let out: string;
  let dir: string;
  let model: ModelBackend;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'harness-gen-qwen-'));
    dir = await qwenFixture('tiny');
    model = await loadModel(ModelConfigSchema.parse({ id: dir, dtype: 'fp32' }));
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it("greedy decoding ignores the model's generation_config.json unless asked, and says what was in force", async () => {
    expect(model.generationDefaults).toMatchObject({ repetition_penalty: 1.1, temperature: 0.7, top_p: 0.8, top_k: 20, do_sample: true });
    const prompt = model.applyChatTemplate([{ role: 'user', content: 'Hello' }]);
    const ignore = await model.generate(prompt, { maxNewTokens: 32 });
    const apply = await model.generate(prompt, { maxNewTokens: 32, modelGenerationConfig: 'apply' });
    const explicit = await model.generate(prompt, { maxNewTokens: 32, repetitionPenalty: 1.1 });
    expect(ignore.settings).toMatchObject({ do_sample: false, repetition_penalty: 1 });
    expect(apply.settings).toMatchObject({ do_sample: false, repetition_penalty: 1.1 });
    // The file's penalty changes the greedy text (the harness used to apply it silently); applying it is the same
    // as asking for it; the file's sampling settings never turn greedy decoding into sampling.
    expect(apply.text).not.toBe(ignore.text);
    expect(explicit.text).toBe(apply.text);
  });

  it('runs mmlu_pro and gsm8k through its chat template, recording the settings and their sources', async () => {
    const run = runner(() => model, () => out, () => dir);
    const { record, samples } = await run({ limit: 2, model: { id: dir, dtype: 'fp32', promptMode: 'chat' }, generation: { maxNewTokens: 8 } });
    for (const task of ['mmlu_pro', 'gsm8k']) {
      const ss = samples(task);
      expect(ss).toHaveLength(2);
      for (const s of ss) {
        expect(s.mode).toBe('chat');
        expect(s.prompt).toMatch(/^<\|im_start\|>system\n[\s\S]*<\|im_start\|>user\n[\s\S]*<\|im_end\|>\n<\|im_start\|>assistant\n$/);
        expect(s.responses[0]!.generated_tokens).toBeLessThanOrEqual(8);
      }
      const gen = record.tasks[task]!.extra!.generation as { settings: Record<string, unknown>; sources: Record<string, string>; model_generation_config: { values: Record<string, unknown>; applied: string[] } };
      expect(gen.settings).toMatchObject({ max_new_tokens: 8, repetition_penalty: 1 });
      expect(gen.sources).toMatchObject({ max_new_tokens: 'run', n: 'task', repetition_penalty: 'harness default' });
      expect(gen.model_generation_config.values).toMatchObject({ repetition_penalty: 1.1 });
      expect(gen.model_generation_config.applied).toEqual([]);
      expect(record.tasks[task]!.extra!.prompt_mode_source).toBe('run');
    }
    // MMLU-Pro's 5 shots fit Qwen's context: the prompt keeps them (under TIGER-Lab's 2047-token limit).
    expect(samples('mmlu_pro').every((s) => s.shots > 0)).toBe(true);
  });
});
