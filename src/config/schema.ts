import { z } from 'zod';
import { DTYPES } from '../models/onnx/dtypes.ts';
import { DEFAULTS } from './defaults.ts';

/** The model section of the config; every field has a command-line flag. */
export const ModelConfigSchema = z
  .object({
    /** A local folder in the transformers.js layout, or a hub id. */
    id: z.string().min(1),
    dtype: z.enum(DTYPES as [string, ...string[]]).default(DEFAULTS.model.dtype),
    device: z.string().default(DEFAULTS.model.device),
    /** Sequences per forward pass for log-likelihood requests. */
    batchSize: z.number().int().positive().default(DEFAULTS.model.batchSize),
    /** Cap on padded tokens per forward pass. */
    maxBatchTokens: z.number().int().positive().default(DEFAULTS.model.maxBatchTokens),
    /** Prepend BOS to every tokenized string; lm-evaluation-harness's default is false. */
    addBosToken: z.boolean().default(DEFAULTS.model.addBosToken),
    /** Compute a few-shot prefix shared by a batch once and reuse its key/value cache (same results). */
    prefixCache: z.boolean().default(DEFAULTS.model.prefixCache),
    /** Override the context length from config.json. */
    maxLength: z.number().int().positive().optional(),
    /** onnxruntime intra-op threads; default: all cores. */
    threads: z.number().int().positive().optional(),
    /** How generative tasks prompt the model: chat template when it has one (auto), or raw completion. */
    promptMode: z.enum(['auto', 'completion', 'chat']).default(DEFAULTS.model.promptMode),
  })
  .strict();

export const SandboxConfigSchema = z
  .object({
    /** Wall-clock limit per program; default: the task file's `timeoutSeconds`, else 5. */
    timeoutSeconds: z.number().positive().optional(),
    memoryMB: z.number().int().positive().default(DEFAULTS.sandbox.memoryMB),
    maxProcesses: z.number().int().positive().default(DEFAULTS.sandbox.maxProcesses),
    maxOutputBytes: z.number().int().positive().default(DEFAULTS.sandbox.maxOutputBytes),
    /** Programs run at once; default: the number of cores. */
    concurrency: z.number().int().positive().optional(),
    python: z.string().default(DEFAULTS.sandbox.python),
  })
  .strict();

export const GenerationConfigSchema = z
  .object({
    /** Samples per prompt (code pass@k, refusal consistency). */
    n: z.number().int().positive().optional(),
    temperature: z.number().min(0).optional(),
    topP: z.number().gt(0).max(1).optional(),
    topK: z.number().int().min(0).optional(),
    maxNewTokens: z.number().int().positive().optional(),
    systemPrompt: z.string().optional(),
    /** HF's repetition_penalty (1 = none); default: none. */
    repetitionPenalty: z.number().positive().optional(),
    /** The model's generation_config.json decoding settings: `ignore` (default) or `apply` them under the task's. */
    modelGenerationConfig: z.enum(['apply', 'ignore']).optional(),
    /** Reasoning models: tokens of thinking before the think block is closed and the answer asked for. */
    reasoningBudget: z.number().int().positive().optional(),
  })
  .strict();

export const HarnessConfigSchema = z
  .object({
    model: ModelConfigSchema,
    /** Task names (`mmlu`, `arc_challenge`) or subtasks (`mmlu:anatomy`). */
    tasks: z.array(z.string().min(1)).min(1).default([...DEFAULTS.tasks]),
    /** Extra folders of task files, besides the built-in tasks/. */
    taskDirs: z.array(z.string()).default([]),
    /** Root of local datasets: DIR/mmlu/data/..., DIR/arc/..., DIR/humaneval/... */
    dataDir: z.string().default(DEFAULTS.dataDir),
    output: z.string().default(DEFAULTS.output),
    seed: z.number().int().default(DEFAULTS.seed),
    /** Per task: a seeded subset of this many documents. */
    limit: z.number().int().positive().optional(),
    /** Override every task's few-shot count. */
    numFewshot: z.number().int().min(0).optional(),
    logPrompts: z.boolean().default(DEFAULTS.logPrompts),
    /** Folder of a persistent request cache (log-likelihoods and generations); off when unset. */
    cache: z.string().optional(),
    progress: z.enum(['auto', 'bar', 'lines', 'off']).default(DEFAULTS.progress),
    /**
     * Documents scored (and flushed to disk) per step; default by task kind: 32 multiple choice, 4 code
     * (programs of a chunk run while its next problems generate), 1 refusal. A kill loses at most one chunk.
     */
    chunkSize: z.number().int().positive().optional(),
    generation: GenerationConfigSchema.default({}),
    /**
     * Refusal tasks: probe a researcher's own prompt list (CSV, TSV, JSONL, JSON, or .txt with one prompt per
     * line) instead of the task's suite; the field names map its columns.
     */
    probes: z
      .object({
        file: z.string().min(1),
        promptField: z.string().optional(),
        idField: z.string().optional(),
        topicField: z.string().optional(),
        languageField: z.string().optional(),
        kindField: z.string().optional(),
        styleField: z.string().optional(),
        /** Kind of the rows that have no kind column (default sensitive). */
        kind: z.enum(['sensitive', 'control', 'overrefusal']).optional(),
        /** A list of control prompts: line i mirrors line i of `file` (or a control_of column says which). */
        controlFile: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Refusal tasks: label answers with this model (a fixed rubric) instead of the rule-based classifier. */
    judge: z
      .object({ id: z.string().min(1), dtype: z.enum(DTYPES as [string, ...string[]]).default(DEFAULTS.model.dtype), device: z.string().default(DEFAULTS.model.device) })
      .strict()
      .optional(),
    sandbox: SandboxConfigSchema.default({} as never),
    /**
     * Regression gates for CI: `{ "mmlu/acc": 0.25 }` exits with code 1 when that metric is below the value.
     * Keys are `<task>/<metric>` as printed in the summary table.
     */
    minMetrics: z.record(z.string(), z.number()).default({}),
  })
  .strict();

export type HarnessConfigInput = z.input<typeof HarnessConfigSchema>;
export type HarnessConfig = z.output<typeof HarnessConfigSchema>;
export type ModelConfig = z.output<typeof ModelConfigSchema>;

