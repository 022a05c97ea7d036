import { z } from 'zod';
import { TaskBase, generationSchema } from '../task-base.ts';

/** A refusal task file (`kind: refusal`): probes asked, answers labelled refused / deflected / complied. */
export const RefusalTaskSchema = TaskBase.extend({
  kind: z.literal('refusal'),
  /** Field mapping of the prompt file. */
  fields: z
    .object({
      prompt: z.string().default('prompt'),
      id: z.string().default('id'),
      topic: z.string().default('topic'),
      language: z.string().default('language'),
      kind: z.string().default('kind'),
      pairId: z.string().default('pair_id'),
    })
    .strict()
    .default({ prompt: 'prompt', id: 'id', topic: 'topic', language: 'language', kind: 'kind', pairId: 'pair_id' }),
  /** Plain prompt format for models without a chat template; sees `prompt`. */
  plainTemplate: z.string().default('Question: {{prompt}}\nAnswer:'),
  systemPrompt: z.string().optional(),
  generation: generationSchema({ maxNewTokens: 256, n: 1, temperature: 0, topP: 1, topK: 0 }),
}).strict();

export type RefusalTask = z.output<typeof RefusalTaskSchema>;
