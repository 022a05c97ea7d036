import type { Doc, TaskDocuments } from '../../core/doc.ts';
import { PyRandom } from '../../core/py-random.ts';
import { render } from '../template.ts';
import type { GenerativeTask } from './schema.ts';

/**
 * Prompts of a generative task, laid out as lm-evaluation-harness lays them out:
 *   description + (shot text + target delimiter + shot target + few-shot delimiter) for each shot + question.
 * TIGER-Lab's MMLU-Pro prompt has the same shape (header, then each example with its chain of thought and a blank
 * line, then the question ending in "Answer: Let's think step by step.").
 */

function vars(doc: Doc): Record<string, unknown> {
  return { ...doc.fields, subset: doc.subset ?? '' };
}

/** The parts of one document's prompt: description, each shot as rendered, and the question. */
export interface PromptParts {
  description: string;
  shots: string[];
  question: string;
}

export function promptParts(task: GenerativeTask, doc: Doc, shots: Doc[]): PromptParts {
  const where = (f: string) => `task ${task.name}: ${f}`;
  const fs = task.fewshot;
  return {
    description: render(task.prompt.description, vars(doc), where('prompt.description')),
    shots: shots.map(
      (s) =>
        render(fs?.doc_to_text ?? task.prompt.doc_to_text, vars(s), where(fs?.doc_to_text ? 'fewshot.doc_to_text' : 'prompt.doc_to_text')) +
        (fs?.target_delimiter ?? ' ') +
        render(fs!.doc_to_target, vars(s), where('fewshot.doc_to_target')) +
        (fs?.delimiter ?? '\n\n'),
    ),
    question: render(task.prompt.doc_to_text, vars(doc), where('prompt.doc_to_text')),
  };
}

/** The prompt with the first `k` shots. */
export function joinPrompt(parts: PromptParts, k: number): string {
  return parts.description + parts.shots.slice(0, k).join('') + parts.question;
}

/**
 * Picks each document's few-shot examples: fixed ones from the task file, or its few-shot split (the document's own
 * subset when the task has subsets); `first_n` in file order, or `random` as lm-evaluation-harness's default sampler
 * draws them: one Python random.Random(seed) per subset, `sample(pool, count)` once per document in dataset order
 * (so a document gets the same shots whatever --limit picks). A document is never its own example.
 */
export function fewshotPicker(task: GenerativeTask, documents: TaskDocuments, count: number): (doc: Doc) => Doc[] {
  const fs = task.fewshot;
  if (!fs || count === 0) return () => [];
  const inline: Doc[] | undefined = fs.samples?.map((fields, i) => ({ id: `fewshot/${i}`, fields: fields as Doc['fields'], where: `task ${task.name}: fewshot.samples[${i}]` }));
  const poolOf = (doc: Doc): Doc[] => inline ?? documents.fewshot.get(doc.subset ?? '') ?? [];
  const sameSplit = !inline && fs.split === task.split && fs.path === undefined;
  if (fs.sampler === 'first_n') {
    return (doc) => {
      const pool = poolOf(doc);
      return (sameSplit ? pool.filter((d) => d.id !== doc.id) : pool).slice(0, count);
    };
  }
  // Position of each document in its subset, in dataset order (before --limit).
  const position = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const d of documents.unfiltered) {
    const key = d.subset ?? '';
    const i = seen.get(key) ?? 0;
    position.set(d.id, i);
    seen.set(key, i + 1);
  }
  const streams = new Map<string, { rng: PyRandom; draws: Doc[][] }>();
  return (doc) => {
    const pool = poolOf(doc);
    const key = doc.subset ?? '';
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { rng: new PyRandom(fs.seed), draws: [] }));
    const at = position.get(doc.id) ?? 0;
    // lm-evaluation-harness draws one more from the evaluated split and drops the document itself.
    const n = Math.min(pool.length, sameSplit ? count + 1 : count);
    while (s.draws.length <= at) s.draws.push(s.rng.sample(pool, n));
    return s.draws[at]!.filter((d) => d.id !== doc.id).slice(0, count);
  };
}
