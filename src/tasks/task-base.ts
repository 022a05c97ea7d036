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
  /** Subsets (for example MMLU subjects), each mapped to the group it is averaged into. */
  subsets: z.record(z.string(), z.string()).optional(),
  /** The split that is evaluated. */
  split: z.string().default('test'),
  /** Keep only rows for which this Jinja expression renders `true` (e.g. MBPP's test ids 11-510). */
  filter: z.string().optional(),
});

/** Generation settings of a generative task, with the task's defaults (config and flags override them). */
export function generationSchema(defaults: { maxNewTokens: number; n: number; temperature: number; topP: number; topK: number }) {
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

export type DatasetSpec = z.output<typeof DatasetSchema>;
