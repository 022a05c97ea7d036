import { describe, expect, it } from 'vitest';
import {
  definesFunction,
  extractCode,
  extractCompletion,
  extractFencedBlocks,
  extractFunctionByName,
  HUMANEVAL_STOP_SEQUENCES,
  stripThinking,
  truncateAtStop,
} from '../src/tasks/code/extract.ts';
import {
  buildHumanEvalProgram,
  buildMbppProgram,
  humanEvalProgram,
  mbppEntryPoint,
  mbppFewShotPrompt,
  mbppInstructPrompt,
  mbppProgram,
  mbppPrompt,
  type HumanEvalProblem,
  type MbppProblem,
} from '../src/tasks/code/programs.ts';

describe('stripThinking', () => {
  it('removes closed think blocks and counts their characters', () => {
    const r = stripThinking('<think>abc</think>\nanswer<think>de</think>!');
    expect(r).toEqual({ text: '\nanswer!', thinkingChars: 5, unclosed: false });
  });

  it('drops an unclosed leading think block entirely', () => {
    expect(stripThinking('<think>still reasoning when the tokens ran out')).toEqual({ text: '', thinkingChars: 39, unclosed: true });
  });

  it('drops reasoning before a closing tag whose opening tag was in the prompt', () => {
    expect(stripThinking('I need a loop.\n</think>\n\n```python\nx = 1\n```')).toEqual({ text: '\n\n```python\nx = 1\n```', thinkingChars: 15, unclosed: false });
  });

  it('leaves text without tags alone', () => {
    expect(stripThinking('def f(): pass')).toEqual({ text: 'def f(): pass', thinkingChars: 0, unclosed: false });
  });
});

describe('completion mode', () => {
  it('cuts at the earliest HumanEval stop sequence', () => {
    const completion = '    return a + b\n\n\ndef test():\n    pass\nif __name__ == "__main__":\n    test()';
    expect(truncateAtStop(completion, HUMANEVAL_STOP_SEQUENCES)).toBe('    return a + b\n\n');
    expect(truncateAtStop('    x = 1\n# comment\n    return x', HUMANEVAL_STOP_SEQUENCES)).toBe('    x = 1');
    expect(truncateAtStop('    print(1)\nprint(2)', HUMANEVAL_STOP_SEQUENCES)).toBe('    print(1)');
    expect(truncateAtStop('    return 1', HUMANEVAL_STOP_SEQUENCES)).toBe('    return 1');
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

const he: HumanEvalProblem = {
  kind: 'humaneval',
  taskId: 'HumanEval/x',
  prompt: 'from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    """Add."""\n',
  canonicalSolution: '    return a + b\n',
  test: '\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n',
  entryPoint: 'add',
};

describe('program assembly', () => {
  it('HumanEval: prompt + completion + newline + test + newline + check(entry_point)', () => {
    expect(humanEvalProgram(he)).toBe(
      'from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    """Add."""\n    return a + b\n\n\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n\ncheck(add)',
    );
  });

  it('HumanEval from model output, completion and chat', () => {
    const c = buildHumanEvalProgram(he, '    return a + b\n\ndef unused(): pass', 'completion');
    expect(c.program).toBe(humanEvalProgram(he, '    return a + b\n'));
    expect(c.method).toBe('completion');
    const chat = buildHumanEvalProgram(he, '```python\ndef add(a, b):\n    return b + a\n```', 'chat');
    expect(chat.program).toBe(`${he.prompt}\ndef add(a, b):\n    return b + a\n\n${he.test}\ncheck(add)`);
    // A chat answer that is only a body continues the prompt.
    const body = buildHumanEvalProgram(he, '```python\n    return a + b\n```', 'chat');
    expect(body.program).toBe(humanEvalProgram(he, '    return a + b\n'));
  });

  const full: MbppProblem = {
    kind: 'mbpp',
    variant: 'full',
    taskId: 7,
    text: 'Write a function to add two numbers.',
    code: 'def add_nums(a, b):\r\n  return a + b',
    testSetupCode: 'import math',
    testImports: [],
    testList: ['assert add_nums(1, 2) == 3', 'assert add_nums(0, 0) == 0', 'assert add_nums(-1, 1) == 0'],
    challengeTestList: ['assert add_nums(10**20, 1) == 10**20 + 1'],
  };

  it('MBPP full: code + newline + test_setup_code + newline + asserts', () => {
    expect(mbppProgram(full)).toBe('def add_nums(a, b):\r\n  return a + b\nimport math\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0');
    expect(mbppProgram(full, 'X', { includeChallengeTests: true }).endsWith('\nassert add_nums(10**20, 1) == 10**20 + 1')).toBe(true);
  });

  it('MBPP sanitized: test_imports + code + asserts', () => {
    const s: MbppProblem = { ...full, variant: 'sanitized', testSetupCode: '', testImports: ['import math', 'import re'], challengeTestList: [] };
    expect(mbppProgram(s, 'def add_nums(a, b): return a + b')).toBe('import math\nimport re\ndef add_nums(a, b): return a + b\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0');
  });

  it('MBPP entry point and chat extraction', () => {
    expect(mbppEntryPoint({ ...full, code: 'def helper(x):\n  return x\ndef add_nums(a, b):\n  return helper(a) + b' })).toBe('add_nums');
    const built = buildMbppProgram(full, 'Here it is:\n```python\nprint(add_nums(1, 1))\n```\n```python\ndef add_nums(a, b):\n    return a + b\n```', 'chat');
    expect(built.program.startsWith('def add_nums(a, b):\n    return a + b\n\nimport math\n')).toBe(true);
    expect(buildMbppProgram(full, 'def add_nums(a, b):\n    return a + b\n[DONE] trailing', 'completion').program.startsWith('def add_nums(a, b):\n    return a + b\n\nimport math')).toBe(true);
  });

  it('MBPP prompts as lm-evaluation-harness builds them', () => {
    expect(mbppPrompt(full)).toBe(
      'You are an expert Python programmer, and here is your task: Write a function to add two numbers. Your code should pass these tests:\n\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0\n[BEGIN]\n',
    );
    expect(mbppInstructPrompt(full)).toBe(
      'You are an expert Python programmer, and here is your task:\nWrite a function to add two numbers.\nYour code should pass these tests:\nassert add_nums(1, 2) == 3\nassert add_nums(0, 0) == 0\nassert add_nums(-1, 1) == 0',
    );
    const shot: MbppProblem = { ...full, taskId: 2, text: 'Shot.', code: 'def s(): pass', testList: ['assert s() is None'] };
    expect(mbppFewShotPrompt(full, [shot])).toBe(
      `You are an expert Python programmer, and here is your task: Shot. Your code should pass these tests:\n\nassert s() is None\n[BEGIN]\ndef s(): pass\n[DONE]\n\n${mbppPrompt(full)}`,
    );
  });
});
