import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import { resumeEvaluation, runEvaluation } from '../src/runner/run.ts';
import { readRunRecord, readSamples, samplesFile } from '../src/results/files.ts';
import { RunRecordSchema } from '../src/results/schema.ts';
import { checkTask } from '../src/tasks/code/check-task.ts';
import { loadRegistry, selectTasks } from '../src/tasks/registry.ts';
import type { CodeSample } from '../src/tasks/code/sample.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';
import { chatStories } from './fixtures.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };

describe.skipIf(!hasShared)(`code tasks on stories260K ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  const config = (extra: Partial<HarnessConfigInput> = {}) =>
    HarnessConfigSchema.parse({ model: { id: stories260K, dtype: 'q8' }, tasks: ['humaneval'], dataDir: datasetsDir, output: join(dir, 'out'), limit: 5, seed: 7, progress: 'off', ...extra });
  const run = (c: ReturnType<typeof config>) => runEvaluation(c, { progress: silent, out: () => {} });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-code-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a HumanEval --limit 5 run completes with pass@1 = 0 and complete records', async () => {
    const { runDir } = await run(config({ generation: { maxNewTokens: 48 } }));
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
    expect(record.results.humaneval.metrics['pass@1']).toEqual({ value: 0, stderr: 0, n: 5 });
    // pass@10 and pass@100 need 10 and 100 samples: left out with n = 1.
    expect(Object.keys(record.results.humaneval.metrics)).toEqual(['pass@1']);
    const sandbox = record.tasks.humaneval.extra.sandbox as { tool: string; limits: { timeoutSeconds: number } };
    expect(['bubblewrap', 'none']).toContain(sandbox.tool);
    expect(sandbox.limits.timeoutSeconds).toBe(5);
    expect(record.tasks.humaneval.extra.prompt_mode).toBe('completion');
    const samples = readSamples<CodeSample>(samplesFile(runDir, 'humaneval'));
    expect(samples).toHaveLength(5);
    for (const s of samples) {
      expect(s.doc_id).toMatch(/^HumanEval\/\d+$/);
      expect(s.prompt).toMatch(/def \w+\(/);
      expect(s.n).toBe(1);
      expect(s.c).toBe(0);
      const a = s.attempts[0];
      expect(a.raw.length).toBeGreaterThan(0);
      expect(a.generated_tokens).toBeGreaterThan(0);
      expect(a.decode_tokens_per_second).toBeGreaterThan(0);
      expect(a.program_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(['failed', 'timeout', 'killed']).toContain(a.outcome.status);
      // The code is the raw completion cut before the first stop sequence.
      for (const stop of ['\nclass', '\ndef', '\n#', '\nif', '\nprint']) expect(a.code.includes(stop)).toBe(false);
    }
  });

  it('a code run killed after its first chunk and resumed ends with the same results', async () => {
    const c = config({ limit: 6, generation: { maxNewTokens: 24 } });
    const full = await run(c);
    const partial = await runEvaluation(c, { progress: silent, out: () => {}, stopAfterChunks: 1 });
    expect(readSamples(samplesFile(partial.runDir, 'humaneval'))).toHaveLength(4); // one chunk of 4 problems
    await resumeEvaluation(partial.runDir, { progress: silent, out: () => {} });
    const view = (d: string) => readSamples<CodeSample>(samplesFile(d, 'humaneval')).map((s) => [s.doc_id, s.c, s.attempts.map((a) => [a.raw, a.code, a.outcome.status, a.outcome.error])]);
    expect(view(partial.runDir)).toEqual(view(full.runDir));
    expect(readRunRecord(partial.runDir).results).toEqual(readRunRecord(full.runDir).results);
  });

  it('seeded sampling: the same seed gives the same completions; pass@k only for k <= n', async () => {
    const c = config({ limit: 2, generation: { n: 3, temperature: 0.8, maxNewTokens: 24 } });
    const a = await run(c);
    const b = await run(c);
    const texts = (d: string) => readSamples<CodeSample>(samplesFile(d, 'humaneval')).map((s) => s.attempts.map((x) => x.raw));
    expect(texts(a.runDir)).toEqual(texts(b.runDir));
    const first = texts(a.runDir)[0];
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(Object.keys(readRunRecord(a.runDir).results.humaneval.metrics)).toEqual(['pass@1']);
    const other = await run(config({ limit: 2, seed: 8, generation: { n: 3, temperature: 0.8, maxNewTokens: 24 } }));
    expect(texts(other.runDir)).not.toEqual(texts(a.runDir));
  });

  it('chat models get their chat template and the code is extracted from the reply', async () => {
    const model = chatStories(dir);
    const { runDir } = await run(config({ model: { id: model, dtype: 'q8' }, tasks: ['mbpp'], limit: 2, generation: { maxNewTokens: 24 } }));
    const record = readRunRecord(runDir);
    expect(record.model.has_chat_template).toBe(true);
    expect(record.tasks.mbpp.extra.prompt_mode).toBe('chat');
    const samples = readSamples<CodeSample>(samplesFile(runDir, 'mbpp'));
    expect(samples[0].prompt).toMatch(/^<\|user\|>\nYou are an expert Python programmer, and here is your task:\n/);
    expect(samples[0].prompt!.endsWith('<|assistant|>\n\n```python\n')).toBe(true);
    expect(samples[0].shots).toBe(0);
    expect(['fenced', 'function', 'raw', 'empty']).toContain(samples[0].attempts[0].extraction);
  });

  it('a code set added by a task file alone runs through check-task (a right and a wrong reference)', async () => {
    const tasks = join(dir, 'mytasks');
    mkdirSync(tasks, { recursive: true });
    writeFileSync(
      join(tasks, 'tiny.jsonl'),
      [
        { id: 'add', prompt: 'def add(a, b):\n', solution: '    return a + b\n', tests: ['assert add(1, 2) == 3', 'assert add(-1, 1) == 0'] },
        { id: 'mul', prompt: 'def mul(a, b):\n', solution: '    return a + b\n', tests: ['assert mul(2, 2) == 4', 'assert mul(2, 3) == 6'] },
      ].map((r) => JSON.stringify(r)).join('\n') + '\n',
    );
    writeFileSync(
      join(tasks, 'tiny.yaml'),
      [
        'name: tiny_code',
        'kind: code',
        'dataset: { format: jsonl, path: ./tiny.jsonl, idField: id, required: [id, prompt, solution, tests] }',
        'prompt: { completion: "{{ prompt }}", chat: "Write {{ prompt }}" }',
        'program: "{{ prompt }}{{ completion }}\\n{{ tests | join(\'\\n\') }}\\n"',
        'reference: "{{ prompt }}{{ solution }}\\n{{ tests | join(\'\\n\') }}\\n"',
      ].join('\n') + '\n',
    );
    const c = config({ taskDirs: [tasks], tasks: ['tiny_code'], limit: undefined });
    const [selection] = selectTasks(['tiny_code'], loadRegistry([tasks]));
    const report = await checkTask(selection, { dataDir: c.dataDir, cacheDir: '', sandbox: c.sandbox, limit: c.limit, seed: c.seed });
    expect(report.total).toBe(2);
    expect(report.passed).toBe(1);
    expect(report.failures.map((f) => [f.doc_id, f.outcome.status, f.outcome.error])).toEqual([['mul', 'failed', 'AssertionError']]);
  });
});
