/**
 * The code tasks' data and reference solutions, through the same task files, loader, program templates and
 * sandbox that model answers go through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessConfigSchema } from '../src/config/schema.ts';
import { loadSplit } from '../src/data/datasets.ts';
import { executeProgram } from '../src/sandbox/executor.ts';
import { checkTask } from '../src/tasks/code/check-task.ts';
import { buildProgram, referenceProgram } from '../src/tasks/code/program.ts';
import { loadTaskDocuments } from '../src/tasks/documents.ts';
import { loadRegistry, selectTasks } from '../src/tasks/registry.ts';
import type { CodeTask } from '../src/tasks/schema.ts';
import { HarnessError } from '../src/core/errors.ts';
import { datasetsDir, hasShared, skipReason } from './shared.ts';

const registry = loadRegistry();
const humaneval = registry.get('humaneval')!.task as CodeTask;
const mbpp = registry.get('mbpp')!.task as CodeTask;

function thrown(fn: () => Promise<unknown>): Promise<HarnessError> {
  return fn().then(
    () => {
      throw new Error('expected a HarnessError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(HarnessError);
      return e as HarnessError;
    },
  );
}

describe('code datasets: bad rows are named with file, row, field and a fix', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-code-data-'));
    mkdirSync(join(dir, 'humaneval'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = { task_id: 'HumanEval/0', prompt: 'def f():\n', canonical_solution: '    return 1\n', test: 'def check(c):\n    assert c() == 1\n', entry_point: 'f' };
  const write = (rows: string) => writeFileSync(join(dir, 'humaneval', 'HumanEval.jsonl.gz'), gzipSync(rows));
  const load = () => loadSplit(humaneval.dataset, { dataDir: dir, cacheDir: join(dir, 'cache'), split: 'test' });

  it('reads gzipped JSONL', async () => {
    write(`${JSON.stringify(good)}\n`);
    expect((await load()).rows).toEqual([good]);
  });

  it('a missing field names the row and field', async () => {
    const { entry_point: _omit, ...noEntry } = good;
    write(`${JSON.stringify(good)}\n${JSON.stringify({ ...noEntry, task_id: 'HumanEval/1' })}\n`);
    const e = await thrown(load);
    expect(e.message).toBe('a row has no "entry_point"');
    expect(e.where).toMatch(/HumanEval\.jsonl\.gz:2, field entry_point$/);
    expect(e.exitCode).toBe(2);
  });

  it('invalid JSON names the line', async () => {
    write(`${JSON.stringify(good)}\n\n{"task_id": "HumanEval/1",\n`);
    const e = await thrown(load);
    expect(e.message).toMatch(/^invalid JSON on line 3/);
    expect(e.where).toMatch(/HumanEval\.jsonl\.gz:3$/);
  });

  it('a duplicate id names both rows', async () => {
    write(`${JSON.stringify(good)}\n${JSON.stringify(good)}\n`);
    const e = await thrown(load);
    expect(e.message).toBe(`duplicate task_id "HumanEval/0" (first at ${join(dir, 'humaneval', 'HumanEval.jsonl.gz')}:1)`);
    expect(e.where).toMatch(/HumanEval\.jsonl\.gz:2, field task_id$/);
  });

  it('a missing file with no network names the path and --data-dir, at once', async () => {
    // MBPP has a hub source: offline, the download fails straight away with the local path and the fix.
    const t0 = Date.now();
    const saved = process.env.HF_DATASETS_SERVER;
    process.env.HF_DATASETS_SERVER = 'http://127.0.0.1:9'; // nothing listens there, online or not
    const e = await thrown(() => loadSplit(mbpp.dataset, { dataDir: dir, cacheDir: join(dir, 'cache'), split: 'test' })).finally(() => {
      if (saved === undefined) delete process.env.HF_DATASETS_SERVER;
      else process.env.HF_DATASETS_SERVER = saved;
    });
    expect(e.message).toContain(`dataset file not found (${join(dir, 'mbpp', 'mbpp.jsonl')})`);
    expect(e.fix).toMatch(/--data-dir/);
    expect(e.exitCode).toBe(3);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe.skipIf(!hasShared)(`reference solutions in the sandbox ${hasShared ? '' : skipReason}`, () => {
  const config = (extra: Record<string, unknown> = {}) => {
    const c = HarnessConfigSchema.parse({ model: { id: 'none' }, dataDir: datasetsDir, ...extra });
    return { dataDir: c.dataDir, cacheDir: '', sandbox: c.sandbox, limit: c.limit, seed: c.seed };
  };

  it('the task files select the right rows: HumanEval 164, MBPP test split 500 (ids 11-510), few-shot ids 2-4', async () => {
    const he = await loadTaskDocuments(humaneval, { dataDir: datasetsDir, cacheDir: '', seed: 1, needFewshot: false });
    expect(he.docs).toHaveLength(164);
    expect(he.docs[163].fields.entry_point).toBe('generate_integers');
    const mb = await loadTaskDocuments(mbpp, { dataDir: datasetsDir, cacheDir: '', seed: 1, needFewshot: false });
    expect(mb.docs).toHaveLength(500);
    expect([mb.docs[0].id, mb.docs[499].id]).toEqual(['11', '510']);
    expect(mb.unfiltered).toHaveLength(974);
    expect(mb.docs.filter((d) => d.fields.test_setup_code !== '').map((d) => d.id)).toEqual(['367']);
  });

  it('a seeded subset of HumanEval and MBPP reference solutions pass through check-task (all of them: npm run test:full)', async () => {
    for (const name of ['humaneval', 'mbpp']) {
      const [selection] = selectTasks([name], registry);
      const r = await checkTask(selection, config({ limit: 12 }));
      expect(r.total).toBe(12);
      expect(r.failures.map((f) => `${f.doc_id}: ${f.outcome.status} ${f.outcome.reason ?? ''} ${f.outcome.error ?? ''}`)).toEqual([]);
    }
  });

  it('a wrong HumanEval solution fails, as does one passing only some asserts', async () => {
    const docs = await loadTaskDocuments(humaneval, { dataDir: datasetsDir, cacheDir: '', seed: 1, needFewshot: false });
    const p = docs.docs[0]; // has_close_elements: 7 asserts, true and false cases
    const wrong = await executeProgram(buildProgram(humaneval, p, '    return None\n', false));
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toBe('AssertionError');
    // Always True: right for the "True" cases (the first assert), wrong for the others.
    const partial = await executeProgram(buildProgram(humaneval, p, '    return True\n', false));
    expect(partial.status).toBe('failed');
    expect(partial.error).toBe('AssertionError');
    expect((await executeProgram(referenceProgram(humaneval, p))).status).toBe('passed');
  });

  it('a wrong MBPP solution fails, as does one passing only some asserts', async () => {
    const docs = await loadTaskDocuments(mbpp, { dataDir: datasetsDir, cacheDir: '', seed: 1, needFewshot: false });
    const p = docs.unfiltered.find((d) => d.id === '2')!; // similar_elements
    expect((p.fields.test_list as string[])[0]).toBe('assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)');
    const wrong = await executeProgram(buildProgram(mbpp, p, 'def similar_elements(a, b):\n  return ()', true));
    expect(wrong.status).toBe('failed');
    // Hard-codes the first answer: passes assert 1 on its own, fails the set of three.
    const hardcoded = 'def similar_elements(a, b):\n  return (4, 5)';
    const firstOnly = { ...p, fields: { ...p.fields, test_list: (p.fields.test_list as string[]).slice(0, 1) } };
    expect((await executeProgram(buildProgram(mbpp, firstOnly, hardcoded, true))).status).toBe('passed');
    const partial = await executeProgram(buildProgram(mbpp, p, hardcoded, true));
    expect(partial.status).toBe('failed');
    expect(partial.error).toBe('AssertionError');
    // A missing function is a NameError, not a pass.
    const missing = await executeProgram(buildProgram(mbpp, p, 'def other():\n  pass', true));
    expect(missing.status).toBe('failed');
    expect(missing.error).toBe("NameError: name 'similar_elements' is not defined");
  });

  it('reference programs also run in the fallback sandbox', async () => {
    const he = await loadTaskDocuments(humaneval, { dataDir: datasetsDir, cacheDir: '', seed: 1, limit: 10, needFewshot: false });
    const mb = await loadTaskDocuments(mbpp, { dataDir: datasetsDir, cacheDir: '', seed: 1, limit: 10, needFewshot: false });
    const programs = [...he.docs.map((d) => referenceProgram(humaneval, d)), ...mb.docs.map((d) => referenceProgram(mbpp, d))];
    const outcomes = await Promise.all(programs.map((p) => executeProgram(p, { isolation: 'none', timeoutSeconds: 20 })));
    expect(outcomes.map((o) => o.status)).toEqual(programs.map(() => 'passed'));
  });
});
