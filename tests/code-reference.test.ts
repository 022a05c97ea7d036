/**
 * Data loading and the reference solutions of HumanEval and MBPP, run through the real sandbox.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { executeProgram } from '../src/sandbox/executor.ts';
import { checkReferenceSolutions, referenceProgram } from '../src/tasks/code/check-reference.ts';
import { humanEvalProgram, loadHumanEval, loadMbpp, mbppFewShotExamples, mbppProgram, problemId, type MbppProblem } from '../src/tasks/code/programs.ts';
import { HarnessError } from '../src/util/errors.ts';
import { datasetsDir, hasShared, skipReason } from './shared.ts';

const humanevalFile = resolve(datasetsDir, 'humaneval', 'HumanEval.jsonl.gz');
const mbppFile = resolve(datasetsDir, 'mbpp', 'mbpp.jsonl');
const mbppSanitizedFile = resolve(datasetsDir, 'mbpp', 'sanitized-mbpp.json');
const haveCodeData = hasShared && existsSync(humanevalFile) && existsSync(mbppFile) && existsSync(mbppSanitizedFile);

describe('loaders reject bad rows with file, line, field and a fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-code-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = { task_id: 'HumanEval/0', prompt: 'def f():\n', canonical_solution: '    return 1\n', test: 'def check(c):\n    assert c() == 1\n', entry_point: 'f' };

  function thrown(fn: () => unknown): HarnessError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(HarnessError);
      return e as HarnessError;
    }
    throw new Error('expected a HarnessError');
  }

  it('HumanEval: gzip or plain, missing field, bad JSON, duplicate id', () => {
    const gz = join(dir, 'he.jsonl.gz');
    writeFileSync(gz, gzipSync(`${JSON.stringify(good)}\n`));
    expect(loadHumanEval(gz)).toEqual([{ kind: 'humaneval', taskId: 'HumanEval/0', prompt: good.prompt, canonicalSolution: good.canonical_solution, test: good.test, entryPoint: 'f' }]);

    const missing = join(dir, 'missing.jsonl');
    const { entry_point: _omit, ...noEntry } = good;
    writeFileSync(missing, `${JSON.stringify(good)}\n${JSON.stringify({ ...noEntry, task_id: 'HumanEval/1' })}\n`);
    const e1 = thrown(() => loadHumanEval(missing));
    expect(e1.message).toMatch(/line 2, field "entry_point"/);
    expect(e1.where).toBe(`${missing} line 2 field entry_point`);
    expect(e1.fix).toMatch(/openai\/human-eval/);
    expect(e1.exitCode).toBe(2);

    const badJson = join(dir, 'bad.jsonl');
    writeFileSync(badJson, `${JSON.stringify(good)}\n\n{"task_id": "HumanEval/1",\n`);
    expect(thrown(() => loadHumanEval(badJson)).message).toMatch(/line 3: not valid JSON/);

    const dup = join(dir, 'dup.jsonl');
    writeFileSync(dup, `${JSON.stringify(good)}\n${JSON.stringify(good)}\n`);
    expect(thrown(() => loadHumanEval(dup)).message).toMatch(/line 2, field "task_id": duplicate task_id "HumanEval\/0"/);

    expect(thrown(() => loadHumanEval(join(dir, 'absent.jsonl'))).message).toMatch(/cannot read the HumanEval file/);
  });

  it('MBPP: full and sanitized formats', () => {
    const row = { text: 'Add.', code: 'def add(a, b):\n    return a + b', task_id: 11, test_setup_code: '', test_list: ['assert add(1, 2) == 3'], challenge_test_list: [] };
    const full = join(dir, 'mbpp.jsonl');
    writeFileSync(full, `${JSON.stringify(row)}\n${JSON.stringify({ ...row, task_id: '12' })}\n`);
    const e = thrown(() => loadMbpp(full));
    expect(e.message).toMatch(/line 2, field "task_id": .*number/);
    expect(e.fix).toMatch(/mbpp\.jsonl/);

    const sanitized = join(dir, 'sanitized.json');
    writeFileSync(sanitized, JSON.stringify([{ task_id: 11, prompt: 'Add.', code: 'x', test_imports: [], test_list: [] }]));
    expect(thrown(() => loadMbpp(sanitized)).message).toMatch(/item 1 \(task_id 11\), field "test_list"/);

    expect(thrown(() => loadMbpp(join(dir, 'mbpp.csv'))).message).toMatch(/cannot tell which MBPP file/);
  });
});

describe.skipIf(!haveCodeData)(`reference solutions in the sandbox ${haveCodeData ? '' : skipReason}`, () => {
  const humaneval = haveCodeData ? loadHumanEval(humanevalFile) : [];
  const mbpp = haveCodeData ? loadMbpp(mbppFile) : [];

  it('loads the shared data files', () => {
    expect(humaneval).toHaveLength(164);
    expect(humaneval[0]!.taskId).toBe('HumanEval/0');
    expect(humaneval[163]!.entryPoint).toBe('generate_integers');
    expect(mbpp).toHaveLength(974);
    expect(mbpp.filter((p) => p.testSetupCode !== '').map((p) => p.taskId)).toEqual([367, 927]);
    const sanitized = loadMbpp(mbppSanitizedFile);
    expect(sanitized).toHaveLength(427);
    expect(sanitized.filter((p) => p.testImports.length > 0)).toHaveLength(13);
    expect(mbppFewShotExamples(mbpp).map((p) => p.taskId)).toEqual([2, 3, 4]);
  });

  it('all 164 HumanEval canonical solutions pass', async () => {
    const r = await checkReferenceSolutions(humaneval);
    console.info(`[humaneval] ${r.passed}/${r.total} reference solutions passed in ${r.seconds.toFixed(1)} s`);
    expect(r.failures.map((f) => `${f.id}: ${f.outcome.status} ${f.outcome.reason ?? ''} ${f.outcome.error ?? ''}`)).toEqual([]);
    expect(r.passed).toBe(164);
  }, 300_000);

  it('MBPP (full, 974 rows): every reference solution passes its test_list', async () => {
    // Measured: 974 of 974 pass under Python 3.11 (test_list with test_setup_code; challenge tests not
    // run, as in lm-evaluation-harness), so the failing-id list is empty.
    // One caveat, hence the 20 s limit here: Mbpp/123 (amicable_numbers_sum(9999), a quadratic divisor
    // search) takes 4.5-5.2 s on a 2-core CI machine, on the edge of the default 5 s limit, and fails under
    // the 3 s timeout of openai/human-eval and lm-evaluation-harness's code_eval. Every other reference
    // solution of HumanEval and MBPP finishes in under 0.4 s.
    const r = await checkReferenceSolutions(mbpp, { timeoutSeconds: 20 });
    console.info(`[mbpp] ${r.passed}/${r.total} reference solutions passed in ${r.seconds.toFixed(1)} s`);
    expect(r.failures.map((f) => f.id)).toEqual([]);
    expect(r.passed).toBe(974);
  }, 300_000);

  it('a wrong HumanEval solution fails, as does one passing only some asserts', async () => {
    const p = humaneval[0]!; // has_close_elements: 7 asserts, true and false cases
    const wrong = await executeProgram(humanEvalProgram(p, '    return None\n'));
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toBe('AssertionError');
    // Always True: right for the "True" cases (the first assert), wrong for the others.
    const partial = await executeProgram(humanEvalProgram(p, '    return True\n'));
    expect(partial.status).toBe('failed');
    expect(partial.error).toBe('AssertionError');
    expect((await executeProgram(humanEvalProgram(p))).status).toBe('passed');
  });

  it('a wrong MBPP solution fails, as does one passing only some asserts', async () => {
    const p = mbpp.find((x) => x.taskId === 2)! as MbppProblem; // similar_elements
    expect(p.testList[0]).toBe('assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)');
    const wrong = await executeProgram(mbppProgram(p, 'def similar_elements(a, b):\n  return ()'));
    expect(wrong.status).toBe('failed');
    // Hard-codes the first answer: passes assert 1 on its own, fails the set of three.
    const hardcoded = 'def similar_elements(a, b):\n  return (4, 5)';
    expect((await executeProgram(mbppProgram({ ...p, testList: p.testList.slice(0, 1) }, hardcoded))).status).toBe('passed');
    const partial = await executeProgram(mbppProgram(p, hardcoded));
    expect(partial.status).toBe('failed');
    expect(partial.error).toBe('AssertionError');
    // A missing function is a NameError, not a pass.
    const missing = await executeProgram(mbppProgram(p, 'def other():\n  pass'));
    expect(missing.status).toBe('failed');
    expect(missing.error).toBe("NameError: name 'similar_elements' is not defined");
  });

  it('reference programs also run in the fallback sandbox', async () => {
    const sample = [...humaneval.slice(0, 10), ...mbpp.slice(10, 20)];
    const r = await checkReferenceSolutions(sample, { isolation: 'none' });
    expect(r.failures.map((f) => f.id)).toEqual([]);
    expect(r.passed).toBe(20);
    expect(referenceProgram(mbpp[10]!)).toBe(mbppProgram(mbpp[10]!));
    expect(problemId(mbpp[10]!)).toBe('Mbpp/11');
  });
});
