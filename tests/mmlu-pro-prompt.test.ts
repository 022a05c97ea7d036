import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Doc, TaskDocuments } from '../src/core/doc.ts';
import { loadTaskDocuments } from '../src/tasks/documents.ts';
import { fewshotPicker, joinPrompt, promptParts } from '../src/tasks/generative/prompt.ts';
import type { GenerativeTask } from '../src/tasks/generative/schema.ts';
import { BUILTIN_TASKS_DIR, readTaskFile } from '../src/tasks/registry.ts';
import { datasetsDir, hasShared, skipReason } from './shared.ts';
import { python, tigerPrompts } from './support/tiger-prompt.ts';

describe.skipIf(!hasShared)('MMLU-Pro prompt equals TIGER-Lab evaluate_from_local.py character for character', () => {
  let task: GenerativeTask;
  let docs: TaskDocuments;
  let pick: (d: Doc) => Doc[];
  beforeAll(async () => {
    const t = readTaskFile(join(BUILTIN_TASKS_DIR, 'mmlu_pro.yaml'));
    if (t.kind !== 'generative') throw new Error('mmlu_pro is not generative');
    task = t;
    docs = await loadTaskDocuments(task, { dataDir: datasetsDir, cacheDir: '/nonexistent', seed: 1, needFewshot: true });
    pick = fewshotPicker(task, docs, 5);
  });
  const build = (id: string, k = 5) => {
    const doc = docs.docs.find((d) => d.id === id)!;
    return joinPrompt(promptParts(task, doc, pick(doc)), k);
  };
  const raw = (id: string) => docs.docs.find((d) => d.id === id)!.fields;
  const validation = () => [...docs.fewshot.values()].flat().map((d) => d.fields);

  it('12,032 questions in 14 categories, 70 validation examples; "N/A" options dropped from the shots', () => {
    expect(docs.docs.length).toBe(12032);
    expect(docs.fewshot.size).toBe(14);
    expect([...docs.fewshot.values()].every((v) => v.length === 5)).toBe(true);
    expect((docs.fewshot.get('math')![2]!.fields.options as string[]).length).toBe(9);
  });

  it('a 3-option question (law), pinned in full', () => {
    const p = build('1054');
    expect(p.startsWith('The following are multiple choice questions (with answers) about law. Think step by step and then finish your answer with "the answer is (X)" where X is the correct letter choice.\n\n\n\nQuestion:\n')).toBe(true);
    expect(p.endsWith(`Question:\n${raw('1054').question}\nOptions:\nA. ${(raw('1054').options as string[])[0]}\nB. ${(raw('1054').options as string[])[1]}\nC. ${(raw('1054').options as string[])[2]}\nAnswer: Let's think step by step.`)).toBe(true);
    // The header's blank lines, then five examples each ending in a blank line, then the question.
    expect(p.match(/\n\nQuestion:\n/g)!.length).toBe(6);
  });

  it.skipIf(!python)('3, 4 and 10 options (law, business, math with an "N/A" shot) equal the Python oracle', () => {
    const ids = ['1054', '431', '7688'];
    expect(ids.map((id) => (raw(id).options as string[]).length)).toEqual([3, 4, 10]);
    const want = tigerPrompts(ids.map(raw), validation(), 5);
    ids.forEach((id, i) => expect(build(id)).toBe(want[i]));
    // And with fewer shots, as the prompt is shortened to fit.
    expect(build('7688', 2)).toBe(tigerPrompts([raw('7688')], validation(), 2)[0]);
    expect(build('7688', 0)).toBe(tigerPrompts([raw('7688')], validation(), 0)[0]);
  });
});
if (!hasShared) console.warn(`[skip] ${skipReason}`);
