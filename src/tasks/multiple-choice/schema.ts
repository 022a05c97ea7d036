import { z } from 'zod';
import { TaskBase } from '../task-base.ts';

/** A multiple-choice task file (`kind: multiple_choice`): log-likelihood of each choice, as lm-evaluation-harness scores it. */
export const MultipleChoiceTaskSchema = TaskBase.extend({
  kind: z.literal('multiple_choice'),
  fewshot: z
    .object({
      split: z.string(),
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
      /** A list of choices (literal, or templates such as "{{ a }}"), or the name of a list field of the document. */
      doc_to_choice: z.union([z.array(z.string()).min(2), z.string()]),
      /** The field holding the answer: an index, a letter (A = 0) or the text of a choice. */
      doc_to_target: z.string(),
      target_delimiter: z.string().default(' '),
      fewshot_delimiter: z.string().default('\n\n'),
    })
    .strict(),
  metrics: z.array(z.enum(['acc', 'acc_norm'])).default(['acc', 'acc_norm']),
}).strict();

export type MultipleChoiceTask = z.output<typeof MultipleChoiceTaskSchema>;
