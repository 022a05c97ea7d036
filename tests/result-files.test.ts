/**
 * The result files' format: one schema per file kind (zod, with JSON Schemas generated from it), and runs written by
 * the previous version (schema_version 1) still read and resumed.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelBackend } from '../src/models/backend.ts';
import { configOfRun } from '../src/results/config-record.ts';
import { readRunRecord, readSamples, samplesFile } from '../src/results/files.ts';
import { resultJsonSchemas } from '../src/results/json-schema.ts';
import { SAMPLE_SCHEMAS } from '../src/results/samples.ts';
import { loadModel, resumeEvaluation, runEvaluation } from '../src/runner/run.ts';
import { datasetsDir, hasShared, sharedDir, skipReason } from './shared.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };

describe('JSON Schemas of the result files', () => {
  it('schema/*.schema.json are what the zod schemas generate (run `npm run schema` after changing a schema)', () => {
    const expected = resultJsonSchemas();
    const committed = readdirSync(join(import.meta.dirname, '..', 'schema')).sort();
    expect(committed).toEqual(Object.keys(expected).sort());
    for (const [name, schema] of Object.entries(expected)) {
      expect(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema', name), 'utf8')), name).toEqual(schema);
    }
  });
});

describe.skipIf(!hasShared)(`a run written by schema version 1 ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  let model: ModelBackend;
  /** The fixture (an interrupted v1 run: mmlu and humaneval done, 1 of 3 refusal probes) with this machine's paths. */
  const v1Run = (name: string) => {
    const runDir = join(dir, name);
    cpSync(join(import.meta.dirname, 'fixtures', 'v1-run'), runDir, { recursive: true });
    const file = join(runDir, 'run.json');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('SHARED', sharedDir).replaceAll('OUTPUT', dir));
    return runDir;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harness-v1-'));
    model = await loadModel({ id: join(sharedDir, 'models', 'stories260K'), dtype: 'q8', device: 'cpu', batchSize: 8, maxBatchTokens: 16384, addBosToken: false, prefixCache: true, promptMode: 'auto' });
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads as the current version: snake_case model record, selected_subsets, by_group/by_subset, no stored seed', () => {
    const record = readRunRecord(v1Run('read'));
    expect(record.schema_version).toBe(2);
    expect(record.model).toMatchObject({ backend: 'onnx', name: 'stories260K', model_type: 'llama', context_length: 512, has_chat_template: false });
    expect(record.model).not.toHaveProperty('loadSeconds');
    expect(record).not.toHaveProperty('seed');
    expect(record.tasks.mmlu.selected_subsets).toBeNull();
    expect(Object.keys(record.results.mmlu.by_group).length).toBeGreaterThan(0);
    expect(record.config).toMatchObject({ seed: 7, limit: 3, data_dir: datasetsDir, model: { batch_size: 8, prompt_mode: 'auto' } });
  });

  it('resumes with the current harness: old samples are upgraded, and the metrics equal a fresh run of the same config', async () => {
    const runDir = v1Run('resume');
    const record = readRunRecord(runDir);
    const config = { ...configOfRun(record, runDir), progress: 'off' as const };
    const resumed = await resumeEvaluation(runDir, { model, progress: silent, out: () => {} });
    expect(resumed.record.status).toBe('complete');
    expect(resumed.record.sessions.map((s) => s.ended)).toEqual(['interrupted', 'complete']);
    const fresh = await runEvaluation({ ...config, output: join(dir, 'fresh') }, { model, progress: silent, out: () => {} });
    expect(readRunRecord(runDir).results).toEqual(readRunRecord(fresh.runDir).results);
    for (const [task, kind] of [['mmlu', 'multiple_choice'], ['humaneval', 'code'], ['refusal', 'refusal']] as const) {
      const samples = readSamples<Record<string, unknown>>(samplesFile(runDir, task));
      expect(samples).toHaveLength(3);
      for (const s of samples) SAMPLE_SCHEMAS[kind].parse(s);
      // The upgraded lines say what a fresh run's say, except timings and tracebacks (the launcher's line numbers changed).
      const strip = (xs: Record<string, unknown>[]) => JSON.parse(JSON.stringify(xs, (k, v) => (['duration_seconds', 'decode_tokens_per_second', 'stderr_tail'].includes(k) ? 0 : v)));
      expect(strip(samples)).toEqual(strip(readSamples(samplesFile(fresh.runDir, task))));
    }
  });
});
