import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import { runEvaluation, loadModel, resumeEvaluation } from '../src/runner/run.ts';
import { readRunRecord, readSamples, samplesFile } from '../src/results/files.ts';
import { RunRecordSchema } from '../src/results/schema.ts';
import { configOfRun } from '../src/results/config-record.ts';
import { McSampleSchema } from '../src/results/samples.ts';
import type { ModelBackend } from '../src/models/backend.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';
import { meanStderr } from '../src/core/stats.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };

describe.skipIf(!hasShared)(`runs on stories260K ${hasShared ? '' : skipReason}`, () => {
  let out: string;
  let model: ModelBackend;
  const configOf = (extra: Partial<HarnessConfigInput> = {}) =>
    HarnessConfigSchema.parse({
      model: { id: stories260K, dtype: 'q8' },
      tasks: ['mmlu'],
      dataDir: datasetsDir,
      output: out,
      limit: 20,
      seed: 1234,
      chunkSize: 4,
      progress: 'off',
      ...extra,
    });
  const run = (config: ReturnType<typeof configOf>, opts = {}) => runEvaluation(config, { model, progress: silent, out: () => {}, ...opts });
  /** Everything but timings, timestamps and paths that name the run. */
  const metricsOf = (runDir: string) => readRunRecord(runDir).results;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'harness-e2e-'));
    model = await loadModel(configOf().model);
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it('a --limit 20 MMLU run writes result files that validate against the schema', async () => {
    const { runDir } = await run(configOf());
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
    expect(record.status).toBe('complete');
    expect(record.fingerprints.model.files.find((f) => f.name.startsWith('onnx/'))).toEqual({ name: 'onnx/model_quantized.onnx', bytes: 449810, sha256: '8eddbca1d219cb8f3abbf461c869d1b88b4157665bd9a75f53abfd8515e0bc64' });
    expect(record.fingerprints.model.files.map((f) => f.name)).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json']));
    expect(record.sessions).toHaveLength(1);
    expect(record.sessions[0]).toMatchObject({ ended: 'complete', documents: 20, pid: process.pid });
    expect(record.timings).toEqual(record.sessions[0].timings);
    expect(record.tasks.mmlu.n_docs).toBe(20);
    expect(record.tasks.mmlu.total_docs).toBe(14079);
    const samples = readSamples(samplesFile(runDir, 'mmlu')).map((s) => McSampleSchema.parse(s));
    expect(samples).toHaveLength(20);
    const result = record.results.mmlu;
    expect(result.n + result.skipped).toBe(20);
    // acc is the share of correct, non-skipped samples.
    const scored = samples.filter((s) => s.skipped === undefined);
    expect(result.metrics.acc.value).toBeCloseTo(scored.filter((s) => s.correct).length / scored.length, 12);
    // A --limit sample (most subjects hold one document): the standard error over the documents, not 0.0000.
    expect(result.metrics.acc.stderr).toBeCloseTo(meanStderr(scored.map((s) => (s.correct ? 1 : 0))), 12);
    expect(Object.keys(result.by_group).sort()).toEqual(expect.arrayContaining(['stem']));
    // Every sample's shots fit the 512-token context; skipped ones say why.
    for (const s of samples) if (s.skipped) expect(s.skipped).toMatch(/does not fit the model's 512-token context/);
    expect(record.timings!.prefill_tokens).toBeGreaterThan(0);
  });

  it('an ARC run completes with acc and acc_norm', async () => {
    const { runDir } = await run(configOf({ tasks: ['arc_challenge'] }));
    const record = readRunRecord(runDir);
    expect(record.results.arc_challenge.n).toBe(20);
    expect(Object.keys(record.results.arc_challenge.metrics)).toEqual(['acc', 'acc_norm']);
    const samples = readSamples(samplesFile(runDir, 'arc_challenge')).map((s) => McSampleSchema.parse(s));
    expect(samples[0].prompt).toMatch(/^Question: .*\nAnswer:$/s);
    expect(samples.every((s) => s.loglikelihoods!.length === s.choices.length)).toBe(true);
  });

  it('the same config and seed give identical metrics and samples', async () => {
    const a = await run(configOf({ tasks: ['mmlu', 'arc_challenge'] }));
    const b = await run(configOf({ tasks: ['mmlu', 'arc_challenge'] }));
    expect(metricsOf(b.runDir)).toEqual(metricsOf(a.runDir));
    expect(readFileSync(samplesFile(b.runDir, 'mmlu'), 'utf8')).toBe(readFileSync(samplesFile(a.runDir, 'mmlu'), 'utf8'));
  });

  it('a run killed midway (even mid-write) and resumed gives the same metrics as an uninterrupted one', async () => {
    const config = configOf({ tasks: ['mmlu', 'arc_challenge'] });
    const full = await run(config);
    const partial = await run(config, { stopAfterChunks: 6 });
    const file = samplesFile(partial.runDir, 'arc_challenge');
    // Simulate a kill during the last append: cut the file in the middle of its last line.
    truncateSync(file, statSync(file).size - 25);
    expect(readRunRecord(partial.runDir).status).toBe('interrupted');
    const resumed = await resumeEvaluation(partial.runDir, { model, progress: silent, out: () => {} });
    expect(resumed.record.status).toBe('complete');
    // Timings add up over the two sessions.
    expect(resumed.record.sessions.map((s) => s.ended)).toEqual(['interrupted', 'complete']);
    // The first session scored 6 chunks of 4; its last chunk was cut mid-write and is scored again: 4 + 16.
    expect(resumed.record.sessions.map((s) => s.documents)).toEqual([24, 20]);
    expect(resumed.record.timings!.requests).toBe(resumed.record.sessions[0].timings.requests + resumed.record.sessions[1].timings.requests);
    expect(metricsOf(partial.runDir)).toEqual(metricsOf(full.runDir));
    expect(readSamples(samplesFile(partial.runDir, 'arc_challenge'))).toHaveLength(20);
  });

  it('cached equals uncached, and a fully cached re-run runs no forward pass', async () => {
    const cache = join(out, 'cache');
    const c = configOf({ tasks: ['mmlu', 'arc_challenge'] });
    const uncached = await run(c);
    const cold = await run({ ...c, cache });
    const warm = await run({ ...c, cache });
    expect(metricsOf(cold.runDir)).toEqual(metricsOf(uncached.runDir));
    expect(metricsOf(warm.runDir)).toEqual(metricsOf(uncached.runDir));
    expect(readFileSync(samplesFile(warm.runDir, 'arc_challenge'), 'utf8')).toBe(readFileSync(samplesFile(uncached.runDir, 'arc_challenge'), 'utf8'));
    const coldRecord = readRunRecord(cold.runDir);
    const warmRecord = readRunRecord(warm.runDir);
    expect(coldRecord.request_cache!.hits).toBe(0);
    expect(warmRecord.request_cache!.misses).toBe(0);
    expect(warmRecord.request_cache!.hits).toBe(coldRecord.request_cache!.misses);
    expect(warmRecord.timings!.forward_calls).toBe(0);
    expect(coldRecord.timings!.forward_calls).toBeGreaterThan(0);
  });

  it('prompts that do not fit drop shots from the end, never truncate, and skip with a reason when zero-shot does not fit', async () => {
    const small = await loadModel(configOf({ model: { id: stories260K, dtype: "q8", maxLength: 160 } }).model);
    try {
      const { runDir } = await runEvaluation(configOf({ model: { id: stories260K, dtype: 'q8', maxLength: 160 }, limit: 40, logPrompts: true }), { model: small, progress: silent, out: () => {} });
      const samples = readSamples(samplesFile(runDir, 'mmlu')).map((s) => McSampleSchema.parse(s));
      const skipped = samples.filter((s) => s.skipped);
      const scored = samples.filter((s) => !s.skipped);
      expect(skipped.length).toBeGreaterThan(0);
      expect(scored.length).toBeGreaterThan(0);
      for (const s of skipped) expect(s.skipped).toMatch(/^zero-shot prompt of \d+ tokens does not fit the model's 160-token context$/);
      for (const s of scored) {
        // The scored prompt fits: every choice's tokens minus the last are within the context.
        for (const c of s.choices) expect(small.countTokens(s.prompt!, ' ' + c) - 1).toBeLessThanOrEqual(160);
        // Shots are a prefix of the five dev examples: the prompt ends with the question, never cut.
        expect(s.prompt!.endsWith('\nAnswer:')).toBe(true);
        expect(s.prompt!.startsWith('The following are multiple choice questions (with answers) about ')).toBe(true);
      }
      expect(Math.max(...scored.map((s) => s.shots))).toBeLessThan(5);
      const record = readRunRecord(runDir);
      expect(record.results.mmlu.skipped).toBe(skipped.length);
      expect(record.tasks.mmlu.effective_shots!.max).toBe(Math.max(...scored.map((s) => s.shots)));
    } finally {
      await small.dispose();
    }
  });

  it('a multiple-choice task added by a task file alone (CSV with header, letter answers) runs and scores', async () => {
    const dir = join(out, 'mytasks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'colors.csv'), 'q,a,b,ans\nWhat color is the sky?,blue,green,A\nWhat color is grass?,blue,green,B\nWhat color is snow?,white,black,A\n');
    writeFileSync(
      join(dir, 'colors.yaml'),
      'name: colors\nkind: multiple_choice\ndataset: { format: csv, path: ./colors.csv, required: [q, a, b, ans] }\nprompt:\n  doc_to_text: "Question: {{ q }}\\nAnswer:"\n  doc_to_choice: ["{{ a }}", "{{ b }}"]\n  doc_to_target: ans\n',
    );
    const { runDir } = await run(configOf({ tasks: ['colors'], taskDirs: [dir], limit: undefined }));
    const samples = readSamples(samplesFile(runDir, 'colors')).map((x) => McSampleSchema.parse(x));
    expect(samples.map((x) => [x.prompt, x.choices, x.target])).toEqual([
      ['Question: What color is the sky?\nAnswer:', ['blue', 'green'], 0],
      ['Question: What color is grass?\nAnswer:', ['blue', 'green'], 1],
      ['Question: What color is snow?\nAnswer:', ['white', 'black'], 0],
    ]);
    const result = readRunRecord(runDir).results.colors;
    expect(result.n).toBe(3);
    expect(result.metrics.acc.value).toBeCloseTo(samples.filter((x) => x.correct).length / 3, 12);
  });

  it('--no-log-prompts keeps hashes, not texts', async () => {
    const { runDir } = await run(configOf({ tasks: ['arc_challenge'], limit: 3, logPrompts: false }));
    const samples = readSamples<{ prompt?: string; prompt_hash: string }>(samplesFile(runDir, 'arc_challenge'));
    expect(samples.every((s) => s.prompt === undefined && /^[0-9a-f]{64}$/.test(s.prompt_hash))).toBe(true);
  });

  it('a different seed picks different documents', async () => {
    const a = await run(configOf({ tasks: ['arc_challenge'], seed: 1 }));
    const b = await run(configOf({ tasks: ['arc_challenge'], seed: 2 }));
    const ids = (d: string) => readSamples<{ doc_id: string }>(samplesFile(d, 'arc_challenge')).map((s) => s.doc_id);
    expect(ids(a.runDir)).not.toEqual(ids(b.runDir));
  });
});
