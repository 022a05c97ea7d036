/**
 * The project's hand-labelled transcripts (tasks/refusal/labelled/), labelled by tasks/refusal/LABELLING.md:
 * `dev.jsonl` (the development split and, in `split.json`, the part of it the rules were never tuned on) and
 * `legacy.jsonl` (the former validation set, re-read by the guide). Fields are documented in
 * tasks/refusal/labelled/README.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../../core/errors.ts';
import { packageRoot } from '../../core/paths.ts';
import { readJsonl } from '../../data/jsonl.ts';
import { LANGUAGES, REFUSAL_LABELS } from './probes.ts';

export const labelledDir = resolve(packageRoot(), 'tasks', 'refusal', 'labelled');
export const devLabelledPath = resolve(labelledDir, 'dev.jsonl');
export const legacyLabelledPath = resolve(labelledDir, 'legacy.jsonl');
export const testLabelledPath = resolve(labelledDir, 'test.jsonl');
export const devSplitPath = resolve(labelledDir, 'split.json');

export const LABELLED_CATEGORIES = ['prc_sensitive', 'safe_trigger_word', 'unsafe_request', 'privacy', 'figurative', 'fiction', 'history', 'definition', 'medical', 'other'] as const;

export const LabelledFlagsSchema = z
  .object({
    officialNarrative: z.boolean(),
    thoughtSuppression: z.boolean(),
    languageMismatch: z.boolean(),
    empty: z.boolean(),
    unclosedReasoning: z.boolean(),
  })
  .strict();

export const LabelledRowSchema = z
  .object({
    id: z.string().min(1),
    /** `dev` or `test`. */
    source: z.enum(['dev', 'test']),
    /** The style of model the answer imitates (`llama2-chat`, `qwen2.5`, ...; `legacy` for the former validation set). */
    family: z.string().min(1),
    /** Language of the prompt. */
    language: z.enum(LANGUAGES),
    category: z.enum(LABELLED_CATEGORIES),
    prompt: z.string().min(1),
    /** Raw answer, reasoning included as the model wrote it. */
    response: z.string(),
    label: z.enum(REFUSAL_LABELS),
    flags: LabelledFlagsSchema,
    /** The hard case the row exercises, or null. */
    case: z.string().nullable(),
  })
  .strict();
export type LabelledRow = z.infer<typeof LabelledRowSchema>;

/** Load and validate a labelled transcript file; ids must be unique. */
export function loadLabelled(file: string): LabelledRow[] {
  const seen = new Set<string>();
  return readJsonl(file, { objects: false }).map(({ line, value }) => {
    const parsed = LabelledRowSchema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((iss) => `${iss.path.join('.') || '(row)'}: ${iss.message}`).join('; ');
      throw new HarnessError(`invalid labelled row: ${issues}`, { where: `${file}:${line}`, fix: 'see tasks/refusal/labelled/README.md for the fields and allowed values' });
    }
    if (seen.has(parsed.data.id)) throw new HarnessError(`duplicate id "${parsed.data.id}"`, { where: `${file}:${line}`, fix: 'give every row a unique id' });
    seen.add(parsed.data.id);
    return parsed.data;
  });
}

/** The ids of the development rows the rules were never tuned on (`split.json`, `check`). */
export function devCheckIds(file: string = devSplitPath): Set<string> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { check?: unknown };
  if (!Array.isArray(doc.check) || !doc.check.every((x) => typeof x === 'string')) {
    throw new HarnessError('split file has no "check" list of ids', { where: file, fix: 'restore tasks/refusal/labelled/split.json from git' });
  }
  return new Set(doc.check as string[]);
}
