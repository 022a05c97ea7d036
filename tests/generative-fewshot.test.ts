import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Doc, TaskDocuments } from '../src/core/doc.ts';
import { fewshotPicker, joinPrompt, promptParts } from '../src/tasks/generative/prompt.ts';
import { BUILTIN_TASKS_DIR, readTaskFile } from '../src/tasks/registry.ts';

const gsm8k = readTaskFile(join(BUILTIN_TASKS_DIR, 'gsm8k.yaml'));
const cot = readTaskFile(join(BUILTIN_TASKS_DIR, 'gsm8k_cot.yaml'));
if (gsm8k.kind !== 'generative' || cot.kind !== 'generative') throw new Error('expected generative tasks');

const docs = (n: number, prefix: string): Doc[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, fields: { question: `${prefix}q${i}`, answer: `a${i}\n#### ${i}` }, where: `${prefix}:${i + 1}` }));
const test = docs(20, 't');
const train = docs(7473, 'r');
const documents: TaskDocuments = { docs: test, total: test.length, fewshot: new Map([['', train]]), files: [], unfiltered: test };

describe('few-shot examples', () => {
  it("gsm8k: lm-evaluation-harness's default sampler, random.Random(1234).sample(train, 5) once per question in order", () => {
    const pick = fewshotPicker(gsm8k, documents, 5);
    // CPython: r = random.Random(1234); [r.sample(range(7473), 5) for _ in range(3)]
    const expected = [
      [6374, 3610, 957, 61, 742],
      [7462, 6610, 4769, 286, 5501],
      [5677, 687, 806, 6279, 2905],
    ];
    // Asked out of order (as --limit subsets and resumed chunks ask), each question still gets its own draw.
    expect(pick(test[2]!).map((d) => d.id)).toEqual(expected[2]!.map((i) => `r${i}`));
    expect(pick(test[0]!).map((d) => d.id)).toEqual(expected[0]!.map((i) => `r${i}`));
    expect(pick(test[1]!).map((d) => d.id)).toEqual(expected[1]!.map((i) => `r${i}`));
  });

  it('gsm8k prompt: "Question: ...\\nAnswer: <full solution>" shots, then the question', () => {
    const shots = [train[0]!, train[1]!];
    expect(joinPrompt(promptParts(gsm8k, test[3]!, shots), 2)).toBe('Question: rq0\nAnswer: a0\n#### 0\n\nQuestion: rq1\nAnswer: a1\n#### 1\n\nQuestion: tq3\nAnswer:');
  });

  it("gsm8k_cot: Wei et al.'s 8 exemplars in order, \"Q: ...\\nA: ... The answer is N.\"", () => {
    const pick = fewshotPicker(cot, documents, 8);
    const p = joinPrompt(promptParts(cot, test[0]!, pick(test[0]!)), 8);
    expect(p.startsWith('Q: There are 15 trees in the grove. Grove workers will plant trees in the grove today. After they are done, there will be 21 trees. How many trees did the grove workers plant today?\nA: There are 15 trees originally. Then there were 21 trees after some more were planted. So there must have been 21 - 15 = 6. The answer is 6.\n\nQ: If there are 3 cars')).toBe(true);
    expect(p.endsWith('23 - 15 is 8. The answer is 8.\n\nQ: tq0\nA:')).toBe(true);
    expect(p.split('\n\n')).toHaveLength(9);
  });
});
