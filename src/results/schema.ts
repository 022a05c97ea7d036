import { z } from 'zod';
import { TaskKindNameSchema, TaskResultSchema } from '../core/result.ts';
import { ModelRecordSchema } from '../models/record.ts';

/**
 * Result files: `<output>/<run-id>/run.json` and one `samples-<task>.jsonl` per task. Every key is snake_case,
 * every path is absolute, and no value is stored twice. Version 1 runs are still read (`--resume`), upgraded
 * by results/upgrade.ts.
 */

export const SCHEMA_VERSION = 2;

export { MetricSchema, MetricTableSchema, TaskResultSchema } from '../core/result.ts';
export type { Metric, MetricTable, TaskResult } from '../core/result.ts';

export const DatasetFileSchema = z
  .object({
    /** Absolute path of the file read, or `hub:<repo>/<config>/<split>`. */
    source: z.string(),
    sha256: z.string(),
    rows: z.number().int(),
  })
  .strict();

export const TaskRecordSchema = z
  .object({
    kind: TaskKindNameSchema,
    /** The task file (absolute path). */
    file: z.string(),
    /** sha256 of the task file's prompt-shaping parts, and of its whole definition. */
    template_hash: z.string(),
    definition_hash: z.string(),
    dataset_files: z.array(DatasetFileSchema),
    /** Subsets chosen with `--tasks task:subset`; null: all of them. */
    selected_subsets: z.array(z.string()).nullable(),
    /** Documents available, and the seeded subset evaluated. */
    total_docs: z.number().int(),
    n_docs: z.number().int(),
    num_fewshot: z.number().int().nullable(),
    effective_shots: z.object({ min: z.number(), max: z.number(), mean: z.number() }).strict().nullable(),
    extra: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const EnvironmentSchema = z
  .object({
    os: z.string(),
    cpu: z.string(),
    cores: z.number().int(),
    memory_bytes: z.number(),
    node: z.string(),
    onnxruntime: z.string(),
    transformers_js: z.string(),
  })
  .strict();

export const TimingsSchema = z
  .object({
    load_seconds: z.number(),
    total_seconds: z.number(),
    /** Log-likelihood forward passes: real tokens per second of forward time. */
    prefill_tokens_per_second: z.number().nullable(),
    /** Generation: new tokens per second of decode time. */
    decode_tokens_per_second: z.number().nullable(),
    requests_per_second: z.number().nullable(),
    requests: z.number().int(),
    forward_calls: z.number().int(),
    /** Batches whose shared few-shot prefix was computed once, and the prefix tokens that saved. */
    prefix_cache_hits: z.number().int(),
    prefix_tokens_saved: z.number().int(),
    prefill_tokens: z.number().int(),
    generated_tokens: z.number().int(),
    peak_rss_bytes: z.number(),
  })
  .strict();

export const RunRecordSchema = z
  .object({
    schema_version: z.literal(SCHEMA_VERSION),
    run_id: z.string(),
    status: z.enum(['running', 'complete']),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    /** How many times the run was resumed. */
    resumed: z.number().int().min(0),
    harness: z.object({ version: z.string(), git_commit: z.string().nullable() }).strict(),
    /** The resolved configuration (harness.config.ts fields in snake_case, paths absolute): what --resume reruns. */
    config: z.record(z.string(), z.unknown()),
    model: ModelRecordSchema,
    tasks: z.record(z.string(), TaskRecordSchema),
    environment: EnvironmentSchema,
    results: z.record(z.string(), TaskResultSchema),
    timings: TimingsSchema.nullable(),
    /** The request cache, when one was used: its file and the hits and misses of the last session. */
    request_cache: z.object({ file: z.string(), hits: z.number().int(), misses: z.number().int() }).strict().nullable(),
  })
  .strict();

export type TaskRecord = z.input<typeof TaskRecordSchema>;
export type RunRecord = z.input<typeof RunRecordSchema>;
/** A run record as read back (defaults filled in). */
export type RunRecordRead = z.output<typeof RunRecordSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type Timings = z.infer<typeof TimingsSchema>;
