import { z } from 'zod';

/**
 * What run.json records about the model: where it came from and how it runs. The exact files it was read from
 * (sha256) are in the run's `fingerprints.model`, hashed before loading.
 */
export const ModelRecordSchema = z
  .object({
    /** The backend that ran it (`onnx`). */
    backend: z.string(),
    /** Display name: the hub id, or the local folder's name. */
    name: z.string(),
    /** Absolute folder the files were read from (a hub model: its folder in the download cache). */
    path: z.string(),
    source: z.enum(['local', 'hub']),
    dtype: z.string(),
    device: z.string(),
    model_type: z.string(),
    context_length: z.number().int(),
    has_chat_template: z.boolean(),
    /** How log-likelihood requests were batched (per sequence for dynamically quantized weights). */
    batching: z.string(),
  })
  .strict();

export type ModelRecord = z.infer<typeof ModelRecordSchema>;
