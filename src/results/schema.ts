import { z } from 'zod';
import { HarnessConfigSchema } from '../config/schema.ts';
import { ModelRecordSchema } from '../models/record.ts';

/** Result files: `<output>/<run-id>/run.json` and one `samples-<task>.jsonl` per task. */

export const SCHEMA_VERSION = 1;

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

export const TaskResultSchema = z
  .object({
    kind: z.enum(['multiple_choice', 'code', 'refusal']),
    /** Overall metrics of the task. */
    metrics: MetricTableSchema,
    /** Documents scored (not skipped) and skipped. */
    n: z.number().int().min(0),
    skipped: z.number().int().min(0),
    /** Per group (MMLU categories; refusal: topics, languages) and per subset (MMLU subjects). */
    groups: z.record(z.string(), MetricTableSchema).default({}),
    subsets: z.record(z.string(), MetricTableSchema).default({}),
    /** Kind-specific extras (refusal: censorship gap, consistency; code: sandbox outcomes). */
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const TaskRecordSchema = z
  .object({
    kind: z.enum(['multiple_choice', 'code', 'refusal']),
    file: z.string(),
    /** sha256 of the task file's prompt templates (and whole definition). */
    template_hash: z.string(),
    definition_hash: z.string(),
    dataset_files: z.array(z.object({ source: z.string(), sha256: z.string(), rows: z.number().int() }).strict()),
    subsets: z.array(z.string()).nullable(),
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
    prefix_cache_hits: z.number().int().default(0),
    prefix_tokens_saved: z.number().int().default(0),
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
    harness: z.object({ version: z.string(), git_commit: z.string().nullable() }).strict(),
    config: HarnessConfigSchema,
    seed: z.number().int(),
    model: ModelRecordSchema.nullable(),
    tasks: z.record(z.string(), TaskRecordSchema),
    environment: EnvironmentSchema,
    results: z.record(z.string(), TaskResultSchema),
    timings: TimingsSchema.nullable(),
    /** The request cache, when one was used: its file and the hits and misses of the last session. */
    request_cache: z.object({ file: z.string(), hits: z.number().int(), misses: z.number().int() }).strict().nullable().default(null),
    /** How many times the run was resumed. */
    resumed: z.number().int().min(0),
  })
  .strict();

/** Fields every sample line has; each task kind adds its own. */
export const SampleBaseSchema = z
  .object({
    doc_id: z.string(),
    prompt_hash: z.string(),
    prompt: z.string().optional(),
    skipped: z.string().optional(),
  })
  .passthrough();

export const McSampleSchema = SampleBaseSchema.extend({
  subset: z.string().optional(),
  shots: z.number().int().min(0),
  choices: z.array(z.string()),
  target: z.number().int().min(0),
  loglikelihoods: z.array(z.number()).optional(),
  is_greedy: z.array(z.boolean()).optional(),
  prediction: z.number().int().optional(),
  prediction_norm: z.number().int().optional(),
  correct: z.boolean().optional(),
  correct_norm: z.boolean().optional(),
}).strict();

export type Metric = z.infer<typeof MetricSchema>;
export type MetricTable = z.infer<typeof MetricTableSchema>;
export type TaskResult = z.input<typeof TaskResultSchema>;
export type TaskRecord = z.input<typeof TaskRecordSchema>;
export type RunRecord = z.input<typeof RunRecordSchema>;
/** A run record as read back (defaults filled in). */
export type RunRecordRead = z.output<typeof RunRecordSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type Timings = z.infer<typeof TimingsSchema>;
