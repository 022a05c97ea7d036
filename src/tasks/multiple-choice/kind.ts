import type { Doc } from '../../core/doc.ts';
import { shotStats, type KindContext, type TaskKindRunner } from '../../core/task-kind.ts';
import { aggregateMultipleChoice } from './metrics.ts';
import { choicesOf } from './prompt.ts';
import type { McSample } from './sample.ts';
import type { MultipleChoiceTask } from './schema.ts';
import { scoreMultipleChoice } from './score.ts';

/** What a multiple-choice task needs from the run's settings. */
export interface McSettings {
  /** Few-shot examples (the run's --num-fewshot, else the task file's count). */
  numFewshot: number;
  logPrompts: boolean;
}

/** The multiple-choice task kind: log-likelihood of each choice after a few-shot context. */
export function multipleChoiceKind(task: MultipleChoiceTask, ctx: KindContext<McSettings>): TaskKindRunner<McSample> {
  const { numFewshot, logPrompts } = ctx.settings;
  const sameSplit = task.fewshot?.split === task.split && task.fewshot?.path === undefined;
  let warned = false;
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
  return {
    chunkSize: 32,
    requestsPerDoc: (doc) => choicesOf(task, doc).length,
    score: (docs) => scoreMultipleChoice(task, docs, shotsFor, ctx.model, { logPrompts }),
    aggregate: (samples) => aggregateMultipleChoice(samples, task.metrics, task.subsets, ctx.documents.docs.length < ctx.documents.total),
    describe: (samples) => ({
      num_fewshot: numFewshot,
      effective_shots: shotStats(samples.filter((s) => s.skipped === undefined).map((s) => s.shots)),
      extra: {},
    }),
  };
}
