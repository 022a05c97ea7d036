import { z } from 'zod';
import { SAMPLE_SCHEMAS } from './samples.ts';
import { RunRecordSchema } from './schema.ts';

/**
 * JSON Schemas of the result files, generated from the zod schemas that validate them (zod's toJSONSchema):
 * `schema/run.schema.json` and `schema/samples.<kind>.schema.json` (`npm run schema` writes them; a test checks
 * they are current).
 */
export function resultJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {
    'run.schema.json': { title: 'run.json of local-llm-harness', ...z.toJSONSchema(RunRecordSchema, { io: 'input' }) },
  };
  for (const [kind, schema] of Object.entries(SAMPLE_SCHEMAS)) {
    out[`samples.${kind}.schema.json`] = { title: `a line of samples-<task>.jsonl for a ${kind} task`, ...z.toJSONSchema(schema, { io: 'input' }) };
  }
  return out;
}
