import { z } from 'zod';
import { TaskBase } from '../task-base.ts';

/** A multiple-choice task file (`kind: multiple_choice`): log-likelihood of each choice, as lm-evaluation-harness scores it. */
export const MultipleChoiceTaskSchema = TaskBase.extend({
  kind: z.literal('multiple_choice'),
  fewshot: z
    .object({
      split: z.string(),
      /** A path for the few-shot split when it differs from dataset.path (relative to --data-dir). */
      path: z.string().min(1).optional(),
      count: z.number().int().min(0).default(0),
      sampler: z.enum(['first_n']).default('first_n'),
    })
    .strict()
    .optional(),
  prompt: z
    .object({
      /** Rendered once before the few-shot examples; sees `subset`. */
      description: z.string().default(''),
      doc_to_text: z.string(),
      /**
       * A list of choices (literal, or templates such as "{{ a }}"), the name of a list field of the document, or
       * `{letters: field}`: the letters A, B, C, ... one for each item of a list field (MMLU-Pro's 3 to 10 options).
       */
      doc_to_choice: z.union([z.array(z.string()).min(2), z.string(), z.object({ letters: z.string().min(1) }).strict()]),
      /** The field holding the answer: an index, a letter (A = 0) or the text of a choice. */
      doc_to_target: z.string(),
      target_delimiter: z.string().default(' '),
      fewshot_delimiter: z.string().default('\n\n'),
    })
    .strict(),
  metrics: z.array(z.enum(['acc', 'acc_norm'])).default(['acc', 'acc_norm']),
}).strict();

export type MultipleChoiceTask = z.output<typeof MultipleChoiceTaskSchema>;
