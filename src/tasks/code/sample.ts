import { z } from 'zod';
import { SampleBaseSchema } from '../../core/result.ts';

/** How running one program ended (see src/sandbox/executor.ts for the statuses and reasons). */
export const ProgramOutcomeSchema = z
  .object({
    status: z.enum(['passed', 'failed', 'timeout', 'killed']),
    reason: z.string().optional(),
    /** The error line, e.g. `AssertionError` or `NameError: name 'x' is not defined`. */
    error: z.string().optional(),
    duration_seconds: z.number(),
    stderr_tail: z.string().optional(),
  })
  .strict();

/** One generated program and what running it gave. */
export const CodeAttemptSchema = z
  .object({
    index: z.number().int().min(0),
    /** Sampling seed (null: greedy). */
    seed: z.number().int().nullable(),
    /** The model's raw output. */
    raw: z.string(),
    /** The code taken from it (completion mode: cut at stop sequences; chat: extracted from the reply). */
    code: z.string(),
    extraction: z.enum(['completion', 'fenced', 'function', 'raw', 'empty']),
    thinking_chars: z.number().int().min(0),
    full_solution: z.boolean(),
    program_sha256: z.string(),
    generated_tokens: z.number().int().min(0),
    finish_reason: z.string(),
    decode_tokens_per_second: z.number().nullable(),
    outcome: ProgramOutcomeSchema,
  })
  .strict();

/** A code sample line: one problem, its n attempts and pass@k. */
export const CodeSampleSchema = SampleBaseSchema.extend({
  /** `completion` (raw prompt) or `chat` (the model's chat template). */
  mode: z.enum(['completion', 'chat']),
  /** Few-shot examples in the prompt (dropped from the end until the prompt fits). */
  shots: z.number().int().min(0),
  n: z.number().int().min(0),
  /** Attempts that passed. */
  c: z.number().int().min(0),
  pass_at: z.record(z.string(), z.number()),
  attempts: z.array(CodeAttemptSchema),
}).strict();

export type ProgramOutcome = z.infer<typeof ProgramOutcomeSchema>;
export type CodeAttempt = z.infer<typeof CodeAttemptSchema>;
export type CodeSample = z.infer<typeof CodeSampleSchema>;
