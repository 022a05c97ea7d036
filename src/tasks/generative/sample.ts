import { z } from 'zod';
import { SampleBaseSchema } from '../../core/result.ts';

/** What one extractor read out of one response. */
export const ExtractedSchema = z
  .object({
    /** The extracted answer before normalisation; null when no pattern matched (or the response had no answer part). */
    answer: z.string().nullable(),
    /** The pattern that matched, or null. */
    pattern: z.string().nullable(),
    /** The answer as compared (normalised); null with the answer. */
    normalized: z.string().nullable(),
    /** The extracted answer equals the target. False without one: a fallback guess is scored in the metrics. */
    correct: z.boolean(),
  })
  .strict();

/** One response to a document's prompt. */
export const GenerativeResponseSchema = z
  .object({
    index: z.number().int().min(0),
    /** Sampling seed (null: greedy). */
    seed: z.number().int().nullable(),
    /** The model's output as generated (cut at the stop sequences). */
    raw: z.string(),
    /** The thinking (`<think>` content, or the backend's reasoning field), kept apart; null when there was none. */
    reasoning: z.string().nullable(),
    /** What the answer is extracted from: the output with the reasoning removed; null when reasoning never closed. */
    answer: z.string().nullable(),
    /** A think block opened (by the model or the chat template) and never closed: no answer. */
    unclosed_reasoning: z.boolean(),
    reasoning_tokens: z.number().int().min(0),
    answer_tokens: z.number().int().min(0),
    generated_tokens: z.number().int().min(0),
    /** New tokens allowed (max_new_tokens, or less where the model's context left less room). */
    max_new_tokens: z.number().int().min(0),
    finish_reason: z.string(),
    /** Generation stopped at the token limit rather than a stop sequence or end of text. */
    truncated: z.boolean(),
    /** The reasoning budget ran out and the think block was closed for the model. */
    budget_forced: z.boolean(),
    decode_tokens_per_second: z.number().nullable(),
    /** Per extractor (answers[].name). */
    extracted: z.record(z.string(), ExtractedSchema),
  })
  .strict();

/** A generative sample line: one document, its n responses, and what was read out of them. */
export const GenerativeSampleSchema = SampleBaseSchema.extend({
  subset: z.string().optional(),
  /** `completion` (raw prompt) or `chat` (the model's chat template). */
  mode: z.enum(['completion', 'chat']),
  /** Few-shot examples in the prompt (dropped from the end until it fits). */
  shots: z.number().int().min(0),
  /** The reference answer, as rendered and as normalised. */
  target: z.string(),
  target_normalized: z.string(),
  /** Number of options, for tasks whose fallback guesses among them (MMLU-Pro). */
  choices: z.number().int().min(1).optional(),
  responses: z.array(GenerativeResponseSchema),
}).strict();

export type Extracted = z.infer<typeof ExtractedSchema>;
export type GenerativeResponse = z.infer<typeof GenerativeResponseSchema>;
export type GenerativeSample = z.infer<typeof GenerativeSampleSchema>;
