import { z } from 'zod';
import { TaskBase, generationSchema } from '../task-base.ts';

/** A code task file (`kind: code`): generated programs run in the sandbox against the document's tests. */
export const CodeTaskSchema = TaskBase.extend({
  kind: z.literal('code'),
  prompt: z
    .object({
      /** Completion mode (base models): the raw prompt. */
      completion: z.string(),
      /** Chat mode (instruct models): the user message; the code is extracted from the reply. */
      chat: z.string(),
      /** Chat mode: text that starts the assistant's turn (lm-evaluation-harness's gen_prefix). */
      chat_prefix: z.string().default(''),
    })
    .strict(),
  /** Fixed few-shot examples (completion mode): rows chosen by id, each rendered by `template`, before the prompt. */
  fewshot: z
    .object({
      ids: z.array(z.union([z.string(), z.number()])).min(1),
      template: z.string(),
      delimiter: z.string().default('\n\n'),
    })
    .strict()
    .optional(),
  /**
   * The program executed; sees the document's fields, `completion` (the code: in completion mode the text cut at
   * the stop sequences, in chat mode the code extracted from the reply) and `full_solution` (true when the code
   * defines the entry point itself, as chat replies usually do).
   */
  program: z.string(),
  /**
   * The function the code must define (a Jinja template, e.g. "{{ entry_point }}"): picks the right block of a
   * chat reply, and tells a whole solution from a body that continues the prompt.
   */
  entryPoint: z.string().optional(),
  /** Reference solution program for `harness check-task`; sees the document's fields. */
  reference: z.string(),
  stop: z.array(z.string()).default([]),
  generation: generationSchema({ maxNewTokens: 512, n: 1, temperature: 0, topP: 0.95, topK: 0 }),
  /** Default wall-clock limit per program for this task (config / --timeout override it). */
  timeoutSeconds: z.number().positive().default(5),
  /** pass@k for each k (k <= n). */
  k: z.array(z.number().int().positive()).default([1]),
}).strict();

export type CodeTask = z.output<typeof CodeTaskSchema>;
