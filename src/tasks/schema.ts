import { z } from 'zod';

/**
 * Task files (tasks/*.yaml): a user adds a task by writing one of these; nothing in src/ changes.
 * Templates are Jinja (the same syntax lm-evaluation-harness task files use), rendered with the document's fields.
 */

export const DatasetSchema = z
  .object({
    /** `txt`: one prompt per line (field `prompt`), for plain prompt lists. */
    format: z.enum(['csv', 'jsonl', 'json', 'txt']),
    /**
     * File path relative to --data-dir, or to the task file's folder when it starts with `./` or `../` (data that
     * ships with the task). `{split}` and `{subset}` are filled in. `.gz` files are gunzipped.
     * Example: `mmlu/data/{split}/{subset}_{split}.csv`.
     */
    path: z.string().min(1),
    /** CSV only: the file has a header row. */
    header: z.boolean().default(true),
    /** CSV without header: a name per column; `choices.0` style names build a list field. */
    columns: z.array(z.string().min(1)).optional(),
    /** Fields every row must have (validated per row, with the file and line named on failure). */
    required: z.array(z.string().min(1)).default([]),
    /** A field holding a unique document id; default: the row's position. */
    idField: z.string().optional(),
    /** Online source on the Hugging Face hub (datasets-server rows API), used when the local file is missing. */
    hub: z
      .object({
        repo: z.string().min(1),
        /** Dataset config name; `{subset}` is filled in. */
        config: z.string().default('default'),
        /** Local split name -> hub split name. */
        splits: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .optional(),
  })
  .strict();

const TaskBase = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . - only'),
  about: z.string().optional(),
  dataset: DatasetSchema,
  /** Subsets (for example MMLU subjects), each mapped to the group it is averaged into. */
  subsets: z.record(z.string(), z.string()).optional(),
  /** The split that is evaluated. */
  split: z.string().default('test'),
  /** Keep only rows for which this Jinja expression renders `true` (e.g. MBPP's test ids 11-510). */
  filter: z.string().optional(),
});

/** Generation settings of a generative task, with the task's defaults (config and flags override them). */
function generationSchema(defaults: { maxNewTokens: number; n: number; temperature: number; topP: number; topK: number }) {
  return z
    .object({
      maxNewTokens: z.number().int().positive().default(defaults.maxNewTokens),
      n: z.number().int().positive().default(defaults.n),
      temperature: z.number().min(0).default(defaults.temperature),
      topP: z.number().gt(0).max(1).default(defaults.topP),
      topK: z.number().int().min(0).default(defaults.topK),
    })
    .strict()
    .default(defaults);
}

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

export const TaskFileSchema = z.discriminatedUnion('kind', [MultipleChoiceTaskSchema, CodeTaskSchema, RefusalTaskSchema]);

export type DatasetSpec = z.output<typeof DatasetSchema>;
export type MultipleChoiceTask = z.output<typeof MultipleChoiceTaskSchema>;
export type CodeTask = z.output<typeof CodeTaskSchema>;
export type RefusalTask = z.output<typeof RefusalTaskSchema>;
export type TaskFile = z.output<typeof TaskFileSchema>;
