import { describe, expect, it } from 'vitest';
import {
  definesFunction,
  extractCode,
  extractCompletion,
  extractFencedBlocks,
  extractFunctionByName,
  HUMANEVAL_STOP_SEQUENCES,
} from '../src/tasks/code/extract.ts';
import { buildProgram, completionPrompt, programFromOutput, referenceProgram } from '../src/tasks/code/program.ts';
import { cutAtStop } from '../src/core/stops.ts';
import { loadRegistry } from '../src/tasks/registry.ts';
import { render } from '../src/tasks/template.ts';
import type { CodeTask } from '../src/tasks/schema.ts';
import type { Doc } from '../src/core/doc.ts';

describe('completion mode', () => {
  it('cuts at the earliest HumanEval stop sequence', () => {
    const completion = '    return a + b\n\n\ndef test():\n    pass\nif __name__ == "__main__":\n    test()';
    expect(cutAtStop(completion, HUMANEVAL_STOP_SEQUENCES)).toBe('    return a + b\n\n');
    expect(cutAtStop('    x = 1\n# comment\n    return x', HUMANEVAL_STOP_SEQUENCES)).toBe('    x = 1');
    expect(cutAtStop('    print(1)\nprint(2)', HUMANEVAL_STOP_SEQUENCES)).toBe('    print(1)');
    expect(cutAtStop('    return 1', HUMANEVAL_STOP_SEQUENCES)).toBe('    return 1');
  });

  it('indented def/if/print inside the body are kept', () => {
    const body = '    def helper(y):\n        return y\n    if x:\n        print(x)\n    return helper(x)\nclass Foo: pass';
    expect(extractCompletion(body).completion).toBe('    def helper(y):\n        return y\n    if x:\n        print(x)\n    return helper(x)');
  });

  it('strips reasoning first', () => {
    expect(extractCompletion('<think>hmm\ndef no</think>    return 1\ndef other(): pass')).toEqual({ completion: '    return 1', thinkingChars: 10 });
  });
});

describe('fenced blocks', () => {
  it('finds blocks with their language, and an unclosed final block', () => {
    const text = 'Here:\n```python\na = 1\n```\ntext\n```\nb = 2\n```\n```bash\nls\n```\n```py\nc = 3';
    expect(extractFencedBlocks(text)).toEqual([
      { lang: 'python', code: 'a = 1', closed: true },
      { lang: '', code: 'b = 2', closed: true },
      { lang: 'bash', code: 'ls', closed: true },
      { lang: 'py', code: 'c = 3', closed: false },
    ]);
  });

  it('recognises definitions by name only', () => {
    expect(definesFunction('def add(a, b):\n    return a+b', 'add')).toBe(true);
    expect(definesFunction('    async def add (a):', 'add')).toBe(true);
    expect(definesFunction('def add_two(a):', 'add')).toBe(false);
    expect(definesFunction('x = add(1, 2)', 'add')).toBe(false);
  });
});

describe('extractCode (chat mode)', () => {
  it('takes the block defining the entry point, not the usage example', () => {
    const out = 'Sure!\n```python\nprint(add(1, 2))\n```\nThe function:\n```python\nimport math\n\ndef add(a, b):\n    return a + b\n```\nDone.';
    expect(extractCode(out, { entryPoint: 'add' })).toEqual({ code: 'import math\n\ndef add(a, b):\n    return a + b\n', method: 'fenced', thinkingChars: 0, blocks: 2 });
  });

  it('without an entry point takes the longest Python block', () => {
    const out = '```python\nx = 1\n```\n```python\ndef f():\n    return 2\n```\n```text\nsome long output that is not code at all, really\n```';
    expect(extractCode(out).code).toBe('def f():\n    return 2\n');
  });

  it('finds the function in plain text when there are no fences', () => {
    const out = 'You can use this:\n\nimport re\n\ndef is_ok(s: str) -> bool:\n    if not s:\n        return False\n\n    return bool(re.match(r"a", s))\n\nThis works because...';
    const r = extractCode(out, { entryPoint: 'is_ok' });
    expect(r.method).toBe('function');
    expect(r.code).toBe('import re\ndef is_ok(s: str) -> bool:\n    if not s:\n        return False\n\n    return bool(re.match(r"a", s))\n');
  });

  it('handles multi-line signatures and one-line functions', () => {
    expect(extractFunctionByName('def f(a,\n      b):\n    return a\nprint(1)', 'f')).toBe('def f(a,\n      b):\n    return a');
    expect(extractFunctionByName('text\ndef g(x): return x\nmore text', 'g')).toBe('def g(x): return x');
    expect(extractFunctionByName('no function here', 'g')).toBeUndefined();
  });

  it('drops reasoning (with code inside it) before looking for code', () => {
    const out = '<think>maybe\n```python\ndef add(a, b):\n    return a - b\n```\n</think>\n```python\ndef add(a, b):\n    return a + b\n```';
    const r = extractCode(out, { entryPoint: 'add' });
    expect(r.code).toBe('def add(a, b):\n    return a + b\n');
    expect(r.thinkingChars).toBe(52); // 'maybe\n' 6 + '```python\n' 10 + 'def add(a, b):\n' 15 + '    return a - b\n' 17 + '```\n' 4
  });

  it('falls back to the raw text, or nothing', () => {
    expect(extractCode('x = 1\n')).toEqual({ code: 'x = 1\n', method: 'raw', thinkingChars: 0, blocks: 0 });
    expect(extractCode('<think>no answer')).toEqual({ code: '', method: 'empty', thinkingChars: 9, blocks: 0 });
  });
});

const registry = loadRegistry();
const task = (name: string) => registry.get(name)!.task as CodeTask;
const doc = (fields: Record<string, unknown>, id = 'x'): Doc => ({ id, fields, where: 'test row' });

const he = doc({
  task_id: 'HumanEval/x',
  prompt: 'from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    """Add."""\n',
  canonical_solution: '    return a + b\n',
  test: '\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n',
  entry_point: 'add',
});

describe('program assembly from the task files', () => {
  it('HumanEval: prompt + completion + newline + test + newline + check(entry_point)', () => {
    expect(referenceProgram(task('humaneval'), he)).toBe(
      'from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    """Add."""\n    return a + b\n\n\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n\ncheck(add)\n',
    );
  });

  it('HumanEval from model output, completion and chat', () => {
    const t = task('humaneval');
    const c = programFromOutput(t, he, '    return a + b\n\ndef unused(): pass', 'completion');
    expect(c.program).toBe(buildProgram(t, he, '    return a + b\n', false));
    expect(c.program).toBe(referenceProgram(t, he));
    expect(c.extraction).toBe('completion');
    const chat = programFromOutput(t, he, '```python\ndef add(a, b):\n    return b + a\n```', 'chat');
    expect(chat.fullSolution).toBe(true);
    expect(chat.program).toBe(`${he.fields.prompt}\ndef add(a, b):\n    return b + a\n\n${he.fields.test}\ncheck(add)\n`);
    // A chat answer that is only a body continues the prompt.
    const body = programFromOutput(t, he, '```python\n    return a + b\n```', 'chat');
    expect(body.fullSolution).toBe(false);
    expect(body.program).toBe(referenceProgram(t, he));
  });

  const full = doc({
    task_id: 7,
    text: 'Write a function to add two numbers.',
    code: 'def add_nums(a, b):\r\n  return a + b',
    test_setup_code: 'import math',
    test_list: ['assert add_nums(1, 2) == 3', 'assert add_nums(0, 0) == 0', 'assert add_nums(-1, 1) == 0'],
    challenge_test_list: ['assert add_nums(10**20, 1) == 10**20 + 1'],
  });

  it('MBPP full: code + newline + test_setup_code + newline + asserts (challenge tests not run)', () => {
    expect(referenceProgram(task('mbpp'), full)).toBe('def add_nums(a, b):\r\n  return a + b\nimport math\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0\n');
  });

  it('MBPP sanitized: test_imports + code + asserts', () => {
    const s = doc({ ...full.fields, prompt: 'Add.', test_imports: ['import math', 'import re'] });
    expect(buildProgram(task('mbpp_sanitized'), s, 'def add_nums(a, b): return a + b', true)).toBe(
      'import math\nimport re\ndef add_nums(a, b): return a + b\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0\n',
    );
  });

  it('MBPP chat extraction (the block defining the asserted function) and completion cut at [DONE]', () => {
    const t = task('mbpp');
    // The reply continues the chat prefix "\n```python\n": here it opens with a usage example, then the solution.
    const built = programFromOutput(t, full, 'print(add_nums(1, 1))\n```\nThe function:\n```python\ndef add_nums(a, b):\n    return a + b\n```', 'chat');
    expect(built.fullSolution).toBe(true);
    expect(built.program.startsWith('def add_nums(a, b):\n    return a + b\n\nimport math\n')).toBe(true);
    // A reply that just finishes the opened block.
    const direct = programFromOutput(t, full, 'def add_nums(a, b):\n    return a + b\n```', 'chat');
    expect(direct.code).toBe('def add_nums(a, b):\n    return a + b\n');
    const completion = programFromOutput(t, full, 'def add_nums(a, b):\n    return a + b\n[DONE] trailing', 'completion');
    expect(completion.program.startsWith('def add_nums(a, b):\n    return a + b\n\nimport math')).toBe(true);
  });

  it('MBPP prompts as lm-evaluation-harness builds them (mbpp.yaml, mbpp_instruct.yaml)', () => {
    const t = task('mbpp');
    const zeroShot =
      'You are an expert Python programmer, and here is your task: Write a function to add two numbers. Your code should pass these tests:\n\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0\n[BEGIN]\n';
    expect(completionPrompt(t, full, [])).toBe(zeroShot);
    expect(render(t.prompt.chat, full.fields, 'test')).toBe(
      'You are an expert Python programmer, and here is your task:\nWrite a function to add two numbers.\nYour code should pass these tests:\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0',
    );
    expect(t.prompt.chat_prefix).toBe('\n```python\n');
    const shot = doc({ task_id: 2, text: 'Shot.', code: 'def s(): pass', test_list: ['assert s() is None'] });
    expect(completionPrompt(t, full, [shot])).toBe(
      `You are an expert Python programmer, and here is your task: Shot. Your code should pass these tests:\n\nassert s() is None\n[BEGIN]\ndef s(): pass\n[DONE]\n\n${zeroShot}`,
    );
    expect(t.fewshot?.ids).toEqual([2, 3, 4]);
    expect(t.stop).toEqual(['[DONE]']);
  });
});
