import type { KindContext, Sample, TaskKindRunner } from '../runner/task-kind.ts';
import { aggregateMultipleChoice } from '../metrics/multiple-choice.ts';
import { choicesOf, scoreMultipleChoice, type Doc, type McSample, type McScorer } from './multiple-choice.ts';
import type { MultipleChoiceTask } from './schema.ts';

/** The multiple-choice task kind: log-likelihood of each choice after a few-shot context. */
export function multipleChoiceKind(task: MultipleChoiceTask, ctx: KindContext): TaskKindRunner {
  const model: McScorer = ctx.model;
  const numFewshot = ctx.config.numFewshot ?? task.fewshot?.count ?? 0;
  const sameSplit = task.fewshot?.split === task.split;
  const shotsFor = (doc: Doc): Doc[] => {
    if (numFewshot === 0) return [];
    const pool = ctx.documents.fewshot.get(doc.subset ?? '') ?? [];
    // first_n; when shots come from the evaluated split, the document itself is never its own example.
    const candidates = sameSplit ? pool.filter((d) => d.id !== doc.id) : pool;
    if (candidates.length < numFewshot && !warned) {
      warned = true;
      ctx.warn(`task ${task.name}: only ${candidates.length} few-shot examples available for ${doc.subset ?? 'the task'}, ${numFewshot} asked`);
    }
    return candidates.slice(0, numFewshot);
  };
  let warned = false;
  return {
    chunkSize: 32,
    requestsPerDoc: (doc) => choicesOf(task, doc).length,
    score: async (docs) => (await scoreMultipleChoice(task, docs, shotsFor, model, { logPrompts: ctx.config.logPrompts })) as unknown as Sample[],
    aggregate: (samples) => aggregateMultipleChoice(samples as unknown as McSample[], task.metrics, task.subsets),
    describe: (samples) => {
      const shots = (samples as unknown as McSample[]).filter((s) => s.skipped === undefined).map((s) => s.shots);
      return {
        numFewshot,
        effectiveShots: shots.length === 0 ? null : { min: Math.min(...shots), max: Math.max(...shots), mean: shots.reduce((a, b) => a + b, 0) / shots.length },
        extra: {},
      };
    },
  };
}
