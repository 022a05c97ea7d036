import { z } from 'zod';
import { SampleBaseSchema } from '../../core/result.ts';

/** A multiple-choice sample line (`samples-<task>.jsonl`). */
export const McSampleSchema = SampleBaseSchema.extend({
  subset: z.string().optional(),
  /** Few-shot examples in the prompt (dropped from the end until it fits the context). */
  shots: z.number().int().min(0),
  choices: z.array(z.string()),
  /** Index of the correct choice. */
  target: z.number().int().min(0),
  /** Summed log-probability of each choice (continuation " A" ... for MMLU). */
  loglikelihoods: z.array(z.number()).optional(),
  /** Whether each choice is the greedy continuation. */
  is_greedy: z.array(z.boolean()).optional(),
  prediction: z.number().int().optional(),
  /** Prediction by log-likelihood per character of the choice. */
  prediction_norm: z.number().int().optional(),
  correct: z.boolean().optional(),
  correct_norm: z.boolean().optional(),
}).strict();

export type McSample = z.infer<typeof McSampleSchema>;
