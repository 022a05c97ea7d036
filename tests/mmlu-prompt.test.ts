import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/tasks/registry.ts';
import { loadTaskDocuments } from '../src/tasks/documents.ts';
import { buildContext, choicesOf, targetOf } from '../src/tasks/multiple-choice/prompt.ts';
import type { MultipleChoiceTask } from '../src/tasks/schema.ts';
import { datasetsDir, hasShared, skipReason } from './shared.ts';

const mmlu = loadRegistry().get('mmlu')!.task as MultipleChoiceTask;

describe.skipIf(!hasShared)(`MMLU prompt (lm-evaluation-harness format) ${hasShared ? '' : skipReason}`, () => {
  it('builds the 2-shot anatomy prompt character for character', async () => {
    const docs = await loadTaskDocuments(mmlu, { dataDir: datasetsDir, cacheDir: '/nonexistent', subsets: ['anatomy'], seed: 1, needFewshot: true });
    const doc = docs.docs[0];
    const shots = docs.fewshot.get('anatomy')!.slice(0, 2);
    const expected =
      'The following are multiple choice questions (with answers) about anatomy.\n\n' +
      'What is the embryological origin of the hyoid bone?\nA. The first pharyngeal arch\nB. The first and second pharyngeal arches\n' +
      'C. The second pharyngeal arch\nD. The second and third pharyngeal arches\nAnswer: D\n\n' +
      'Which of these branches of the trigeminal nerve contain somatic motor processes?\nA. The supraorbital nerve\nB. The infraorbital nerve\n' +
      'C. The mental nerve\nD. None of the above\nAnswer: D\n\n' +
      'A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral\n' +
      'A. paralysis of the facial muscles.\nB. paralysis of the facial muscles and loss of taste.\n' +
      'C. paralysis of the facial muscles, loss of taste and lacrimation.\n' +
      'D. paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.\nAnswer:';
    expect(buildContext(mmlu, doc, shots)).toBe(expected);
    expect(choicesOf(mmlu, doc)).toEqual(['A', 'B', 'C', 'D']);
    expect(targetOf(mmlu, doc, ['A', 'B', 'C', 'D'])).toBe(0);
    expect(doc.id).toBe('anatomy/0');
  });

  it('writes multi-word subjects with spaces in the description, zero-shot', async () => {
    const docs = await loadTaskDocuments(mmlu, { dataDir: datasetsDir, cacheDir: '/nonexistent', subsets: ['high_school_geography'], seed: 1, needFewshot: false });
    expect(buildContext(mmlu, docs.docs[0], [])).toBe(
      'The following are multiple choice questions (with answers) about high school geography.\n\n' +
        'The main factor preventing subsistence economies from advancing economically is the lack of\n' +
        'A. a currency.\nB. a well-connected transportation infrastructure.\nC. government activity.\nD. a banking service.\nAnswer:',
    );
    expect(targetOf(mmlu, docs.docs[0], ['A', 'B', 'C', 'D'])).toBe(1);
  });

  it('takes the same seeded --limit subset every time, and a different one for another seed', async () => {
    const load = (seed: number) => loadTaskDocuments(mmlu, { dataDir: datasetsDir, cacheDir: '/nonexistent', limit: 20, seed, needFewshot: false });
    const [a, b, c] = await Promise.all([load(1234), load(1234), load(99)]);
    expect(a.docs.map((d) => d.id)).toEqual(b.docs.map((d) => d.id));
    expect(a.docs.map((d) => d.id)).not.toEqual(c.docs.map((d) => d.id));
    expect(a.docs).toHaveLength(20);
    expect(a.total).toBe(14079);
  });
});
