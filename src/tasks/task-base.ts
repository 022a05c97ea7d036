import { z } from 'zod';

/**
 * What every task file has, whatever its kind: the dataset, subsets, split and row filter; and the shape of
 * a generative task's generation settings. Each kind's own fields are in tasks/<kind>/schema.ts.
 *
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
    /** Values removed from list fields of every row, e.g. `{options: ["N/A"]}` (TIGER-Lab's MMLU-Pro preprocessing). */
    dropItems: z.record(z.string(), z.array(z.string())).optional(),
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

export const TaskBase = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . - only'),
  about: z.string().optional(),
  dataset: DatasetSchema,
  /**
   * Subsets (for example MMLU subjects), each mapped to the group it is averaged into; or a plain list of subsets
   * that form no groups (MMLU-Pro's categories).
   */
  subsets: z
    .union([z.array(z.string().min(1)).min(1).transform((list) => Object.fromEntries(list.map((s) => [s, ''])) as Record<string, string>), z.record(z.string(), z.string())])
    .optional(),
  /**
   * The subsets are the values of this field in one file (MMLU-Pro's `category`), instead of one file per subset
   * (`{subset}` in the path). With `subsets` listed, a row whose value is not among them is an error.
   */
  subsetField: z.string().min(1).optional(),
  /** The split that is evaluated. */
  split: z.string().default('test'),
  /** Keep only rows for which this Jinja expression renders `true` (e.g. MBPP's test ids 11-510). */
  filter: z.string().optional(),
});

/**
 * Generation settings of a generative task, with the task's defaults (config and flags override them).
 * `repetitionPenalty`, `modelGenerationConfig` and `reasoningBudget` are left unset unless the task sets them: the
 * run's settings, then the harness's defaults (src/tasks/generation.ts) decide.
 */
export function generationSchema(defaults: { maxNewTokens: number; n: number; temperature: number; topP: number; topK: number }) {
  return z
    .object({
      maxNewTokens: z.number().int().positive().default(defaults.maxNewTokens),
      n: z.number().int().positive().default(defaults.n),
      temperature: z.number().min(0).default(defaults.temperature),
      topP: z.number().gt(0).max(1).default(defaults.topP),
      topK: z.number().int().min(0).default(defaults.topK),
      /** HF's repetition_penalty (1 = none). */
      repetitionPenalty: z.number().positive().optional(),
      /** The decoding settings of the model's generation_config.json: `ignore` (harness default) or `apply` under ours. */
      modelGenerationConfig: z.enum(['apply', 'ignore']).optional(),
      /** Reasoning models: tokens of thinking after which the think block is closed and the answer is asked for. */
      reasoningBudget: z.number().int().positive().optional(),
    })
    .strict()
    .default(defaults);
}

export type DatasetSpec = z.output<typeof DatasetSchema>;
