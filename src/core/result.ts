import { z } from 'zod';

/** One metric: value with its standard error or confidence interval, over n samples. NaN is written as null. */
export const MetricSchema = z
  .object({
    value: z.number().nullable(),
    stderr: z.number().nullable().optional(),
    ci95: z.tuple([z.number(), z.number()]).optional(),
    n: z.number().int().min(0),
  })
  .strict();

export const MetricTableSchema = z.record(z.string(), MetricSchema);

export const TASK_KINDS = ['multiple_choice', 'generative', 'code', 'refusal'] as const;
export const TaskKindNameSchema = z.enum(TASK_KINDS);
export type TaskKindName = z.infer<typeof TaskKindNameSchema>;

/** What a task kind reports for a task: `run.json` `results.<task>`. */
export const TaskResultSchema = z
  .object({
    kind: TaskKindNameSchema,
    /** Overall metrics of the task. */
    metrics: MetricTableSchema,
    /** Documents scored (not skipped) and skipped. */
    n: z.number().int().min(0),
    skipped: z.number().int().min(0),
    /** Metrics per group (MMLU categories; refusal: kinds, languages, topics). */
    by_group: z.record(z.string(), MetricTableSchema).default({}),
    /** Metrics per subset (MMLU subjects). */
    by_subset: z.record(z.string(), MetricTableSchema).default({}),
    /** Kind-specific extras (refusal: censorship gap, consistency; code: sandbox outcomes). */
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type Metric = z.infer<typeof MetricSchema>;
export type MetricTable = z.infer<typeof MetricTableSchema>;
export type TaskResult = z.input<typeof TaskResultSchema>;

/**
 * Fields every sample line has, whatever the task kind: the document's id and its own fields (`doc`, as
 * lm-evaluation-harness logs it), the prompt's sha256 and (unless --no-log-prompts) its text, and `skipped`
 * with the reason when the document could not be evaluated.
 */
export const SampleBaseSchema = z.object({
  doc_id: z.string(),
  doc: z.record(z.string(), z.unknown()),
  prompt_hash: z.string(),
  prompt: z.string().optional(),
  skipped: z.string().optional(),
});
