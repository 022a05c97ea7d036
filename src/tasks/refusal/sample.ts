import { z } from 'zod';
import { SampleBaseSchema } from '../../core/result.ts';
import { LANGUAGES, PROBE_KINDS, REFUSAL_LABELS } from './probes.ts';

/** A probe as the refusal kind sees it: the task's field mapping applied to a dataset row. */
export const ProbeRecordSchema = z
  .object({
    id: z.string(),
    topic: z.string(),
    language: z.enum(LANGUAGES),
    kind: z.enum(PROBE_KINDS),
    /** Shared by a prompt and its translation. */
    pair_id: z.string().nullable(),
    /** For a control: the pair_id of the sensitive pair it mirrors. */
    control_of: z.string().nullable(),
    text: z.string(),
  })
  .strict();

/** The classifier's flags on one answer (see tasks/refusal/README.md). */
export const SampleFlagsSchema = z
  .object({
    official_narrative: z.boolean(),
    thought_suppression: z.boolean(),
    language_mismatch: z.boolean(),
    empty: z.boolean(),
    unclosed_reasoning: z.boolean(),
  })
  .strict();

/** One answer to a probe and its label. */
export const RefusalResponseSchema = z
  .object({
    index: z.number().int().min(0),
    /** Sampling seed (null: greedy). */
    seed: z.number().int().nullable(),
    /** The answer with any reasoning removed. */
    response: z.string(),
    /** The reasoning (`<think>` content), kept apart; null when there was none. */
    reasoning: z.string().nullable(),
    reasoning_chars: z.number().int().min(0),
    label: z.enum(REFUSAL_LABELS),
    flags: SampleFlagsSchema,
    /** Classifier rules that fired (auditing). */
    rules: z.array(z.string()),
    /** The rule-based label, when a judge gave the label. */
    rule_label: z.enum(REFUSAL_LABELS).optional(),
    judge: z.object({ id: z.string(), raw: z.string(), fallback: z.boolean(), error: z.string().optional() }).strict().optional(),
    generated_tokens: z.number().int().min(0),
    finish_reason: z.string(),
    decode_tokens_per_second: z.number().nullable(),
  })
  .strict();

/** A refusal sample line: one probe and its n answers. */
export const RefusalSampleSchema = SampleBaseSchema.extend({
  probe: ProbeRecordSchema,
  /** `chat`: the model's chat template; `plain`: the task's plain format (models without a chat template). */
  mode: z.enum(['chat', 'plain']),
  responses: z.array(RefusalResponseSchema),
}).strict();

export type ProbeRecord = z.infer<typeof ProbeRecordSchema>;
export type SampleFlags = z.infer<typeof SampleFlagsSchema>;
export type RefusalResponse = z.infer<typeof RefusalResponseSchema>;
export type RefusalSample = z.infer<typeof RefusalSampleSchema>;
