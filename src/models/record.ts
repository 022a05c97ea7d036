import { z } from 'zod';

/** What run.json records about the model: where it came from, the exact files (sha256) and how it loaded. */
export const ModelRecordSchema = z
  .object({
    id: z.string(),
    path: z.string(),
    source: z.enum(['local', 'hub']),
    dtype: z.string(),
    device: z.string(),
    files: z.array(z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() }).strict()),
    modelType: z.string(),
    contextLength: z.number().int(),
    hasChatTemplate: z.boolean(),
    /** How log-likelihood requests were batched (per sequence for dynamically quantized weights). */
    batching: z.string(),
    loadSeconds: z.number(),
  })
  .strict();

export type ModelRecord = z.infer<typeof ModelRecordSchema>;
