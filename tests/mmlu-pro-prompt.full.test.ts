import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskDocuments } from '../src/tasks/documents.ts';
import { fewshotPicker, joinPrompt, promptParts } from '../src/tasks/generative/prompt.ts';
import { BUILTIN_TASKS_DIR, readTaskFile } from '../src/tasks/registry.ts';
import { datasetsDir, hasShared, skipReason } from './shared.ts';
import { python, tigerPrompts } from './support/tiger-prompt.ts';

if (!hasShared || !python) console.warn(`[skip] ${!hasShared ? skipReason : 'python3 not found'}`);

describe.skipIf(!hasShared || !python)('MMLU-Pro: every test question', () => {
  it('all 12,032 five-shot prompts equal the TIGER-Lab oracle (sha256 of each)', async () => {
    const task = readTaskFile(join(BUILTIN_TASKS_DIR, 'mmlu_pro.yaml'));
    if (task.kind !== 'generative') throw new Error('mmlu_pro is not generative');
    const docs = await loadTaskDocuments(task, { dataDir: datasetsDir, cacheDir: '/nonexistent', seed: 1, needFewshot: true });
    const pick = fewshotPicker(task, docs, 5);
    const ours = docs.docs.map((d) => createHash('sha256').update(joinPrompt(promptParts(task, d, pick(d)), 5)).digest('hex'));
    const want = tigerPrompts(docs.docs.map((d) => d.fields), [...docs.fewshot.values()].flat().map((d) => d.fields), 5, true);
    expect(ours.length).toBe(12032);
    const differ = ours.flatMap((h, i) => (h === want[i] ? [] : [docs.docs[i]!.id]));
    expect(differ).toEqual([]);
  });
});
