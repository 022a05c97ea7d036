import { z } from 'zod';
import { TaskKindNameSchema, TaskResultSchema } from '../core/result.ts';
import { ModelRecordSchema } from '../models/record.ts';

/**
 * Result files: `<output>/<run-id>/run.json` and one `samples-<task>.jsonl` per task. Every key is snake_case,
 * every path is absolute, and no value is stored twice. Version 1 runs are still read (`--resume`), upgraded
 * by results/upgrade.ts.
 *
 * run.json is written when the run folder is created (status `running`, the config, and the fingerprints of
 * every input that determines the results), after every flushed chunk (the session's timings), and at the end
 * (`complete`, `interrupted` or `failed` with the reason). `--resume` compares the fingerprints with the inputs
 * as they are now and refuses when they differ.
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

/** One file of a model folder as it was read. */
export const ModelFileSchema = z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() }).strict();

/**
 * The files a model's results depend on: the ONNX weights (and external data) of the dtype, config.json,
 * generation_config.json and the tokenizer files, each with its sha256. Hashed before the model loads (a hub
 * model not yet downloaded: right after), so that `--resume` refuses changed weights before the expensive part.
 * Schema 1 recorded the ONNX files only; such a list is compared on those alone.
 */
export const ModelFingerprintSchema = z.object({ files: z.array(ModelFileSchema) }).strict();

/** What a task's results depend on besides the model: its definition, its templates, its data, its environment. */
export const TaskFingerprintSchema = z
  .object({
    /** The task file (absolute path; not compared: a moved file with the same content is the same task). */
    file: z.string(),
    /** sha256 of the whole parsed definition, and of its prompt-shaping parts (null: not recorded, schema 1). */
    definition_sha256: z.string().nullable(),
    template_sha256: z.string().nullable(),
    /** Every data file read (evaluation and few-shot splits), in reading order. */
    dataset_files: z.array(DatasetFileSchema),
    /**
     * What else the kind's results depend on, in snake_case: code tasks record the sandbox (isolation tool,
     * network, filesystem, user, interpreter and its version, limits). null: not recorded (schema 1).
     */
    environment: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();

export const FingerprintsSchema = z
  .object({
    model: ModelFingerprintSchema,
    /** The refusal judge's files (config `judge`); null without a judge. */
    judge: ModelFingerprintSchema.nullable(),
    tasks: z.record(z.string(), TaskFingerprintSchema),
  })
  .strict();

export const TaskRecordSchema = z
  .object({
    kind: TaskKindNameSchema,
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
    /**
     * The CPU's instruction-set extensions that select onnxruntime's kernels (AVX2, AVX-512, VNNI, AMX; NEON,
     * dot product, SVE on ARM): the same weights can give different last digits on another set. null: unknown.
     */
    cpu_flags: z.array(z.string()).nullable(),
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
    /** Seconds of log-likelihood forward passes and of decoding (what the rates above divide by). */
    prefill_seconds: z.number(),
    decode_seconds: z.number(),
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

export const RUN_STATUSES = ['running', 'interrupted', 'failed', 'complete'] as const;

/** Why a run failed: the error as it was printed, and the exit code it ended with. */
export const FailureSchema = z
  .object({
    message: z.string(),
    where: z.string().nullable(),
    fix: z.string().nullable(),
    exit_code: z.number().int(),
    at: z.string(),
  })
  .strict();

/** One process's work on the run: the first, and one per `--resume`. */
export const SessionSchema = z
  .object({
    started_at: z.string(),
    /** null while it runs, or when it was killed (the next `--resume` marks it `interrupted`). */
    finished_at: z.string().nullable(),
    /** How it ended; null while running. */
    ended: z.enum(['complete', 'interrupted', 'failed']).nullable(),
    host: z.string().nullable(),
    pid: z.number().int().nullable(),
    /** Documents scored in this session. */
    documents: z.number().int().min(0),
    /** Inputs found changed at `--resume` and accepted with `--allow-changes` (the run mixes them). */
    accepted_changes: z.array(z.string()),
    /** This session's figures, written after every flushed chunk (a killed session keeps them up to its last chunk). */
    timings: TimingsSchema,
    /** With `--cache`: this session's hits and misses. */
    request_cache: z.object({ hits: z.number().int(), misses: z.number().int() }).strict().nullable(),
  })
  .strict();

export const RunRecordSchema = z
  .object({
    schema_version: z.literal(SCHEMA_VERSION),
    run_id: z.string(),
    /**
     * `running` (a process holds run.lock, or was killed: `harness show` tells which), `interrupted` (stopped by a
     * signal), `failed` (see `failure`), `complete`. Every state but `complete` can be resumed.
     */
    status: z.enum(RUN_STATUSES),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    /** The error that ended the run (status `failed`); null otherwise. */
    failure: FailureSchema.nullable(),
    /** The harness that created the run: version, git commit (of a clone), sha256 of its code as run (null: schema 1). */
    harness: z.object({ version: z.string(), git_commit: z.string().nullable(), code_sha256: z.string().nullable() }).strict(),
    /** The resolved configuration (harness.config.ts fields in snake_case, paths absolute): what --resume reruns. */
    config: z.record(z.string(), z.unknown()),
    /** The inputs that determine the results, as they were when the run was created (`--resume` compares them). */
    fingerprints: FingerprintsSchema,
    model: ModelRecordSchema,
    tasks: z.record(z.string(), TaskRecordSchema),
    environment: EnvironmentSchema,
    results: z.record(z.string(), TaskResultSchema),
    /** Every session, in order; `timings` and `request_cache` below add them up. */
    sessions: z.array(SessionSchema),
    /** All sessions together: seconds, counts and tokens summed, rates recomputed from the sums, peak RSS the largest. */
    timings: TimingsSchema.nullable(),
    /** The request cache, when one was used: its file, and the hits and misses of all sessions. */
    request_cache: z.object({ file: z.string(), hits: z.number().int(), misses: z.number().int() }).strict().nullable(),
  })
  .strict();

export type TaskRecord = z.input<typeof TaskRecordSchema>;
export type RunRecord = z.input<typeof RunRecordSchema>;
/** A run record as read back (defaults filled in). */
export type RunRecordRead = z.output<typeof RunRecordSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type Timings = z.infer<typeof TimingsSchema>;
export type Session = z.infer<typeof SessionSchema>;
export type Failure = z.infer<typeof FailureSchema>;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type Fingerprints = z.infer<typeof FingerprintsSchema>;
export type ModelFingerprint = z.infer<typeof ModelFingerprintSchema>;
export type TaskFingerprint = z.infer<typeof TaskFingerprintSchema>;
