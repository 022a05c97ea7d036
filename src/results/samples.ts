import { McSampleSchema } from '../tasks/multiple-choice/sample.ts';
import { CodeSampleSchema } from '../tasks/code/sample.ts';
import { RefusalSampleSchema } from '../tasks/refusal/sample.ts';
import { GenerativeSampleSchema } from '../tasks/generative/sample.ts';

/** The schema of a samples file's lines, by task kind (each pillar defines its own). */
export const SAMPLE_SCHEMAS = {
  multiple_choice: McSampleSchema,
  generative: GenerativeSampleSchema,
  code: CodeSampleSchema,
  refusal: RefusalSampleSchema,
} as const;

export { McSampleSchema, GenerativeSampleSchema, CodeSampleSchema, RefusalSampleSchema };
