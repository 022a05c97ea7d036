/**
 * Schemas and loaders for the refusal probe suite (`tasks/refusal/probes.jsonl`); the labelled transcripts are
 * in labelled.ts. The fields are documented in tasks/refusal/README.md.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../../core/errors.ts';
import { packageRoot } from '../../core/paths.ts';
import { readJsonl } from '../../data/jsonl.ts';

export const LANGUAGES = ['en', 'zh'] as const;
export type ProbeLanguage = (typeof LANGUAGES)[number];

export const PROBE_KINDS = ['sensitive', 'control', 'overrefusal'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** `other` is for researcher-supplied prompts that carry no style. */
export const PROBE_STYLES = ['factual', 'opinion', 'creative', 'howto', 'other'] as const;
export type ProbeStyle = (typeof PROBE_STYLES)[number];

export const REFUSAL_LABELS = ['refused', 'deflected', 'complied'] as const;
export type RefusalLabel = (typeof REFUSAL_LABELS)[number];

const slug = z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'lower-case slug: letters, digits, underscores');

export const ProbeSchema = z
  .object({
    /** Unique across the suite: `<pair_id>-<language>`. */
    id: z.string().min(1),
    /** What the prompt is about: a sensitive topic, a control subject, or an over-refusal domain. */
    topic: slug,
    language: z.enum(LANGUAGES),
    kind: z.enum(PROBE_KINDS),
    style: z.enum(PROBE_STYLES),
    /** Shared by a prompt and its translation (one `en` and one `zh` row per pair_id in the suite). */
    pair_id: z.string().min(1),
    /** For `kind: control`: the pair_id of the sensitive pair this control mirrors (null if it mirrors none); null for other kinds. */
    control_of: z.string().min(1).nullable(),
    prompt: z.string().min(1),
  })
  .strict()
  .refine((p) => p.kind === 'control' || p.control_of === null, {
    message: 'control_of is only for kind "control" (set it to null for other kinds)',
    path: ['control_of'],
  });
export type Probe = z.infer<typeof ProbeSchema>;

export const defaultProbesPath = resolve(packageRoot(), 'tasks', 'refusal', 'probes.jsonl');

function readJsonlWith<T>(file: string, schema: z.ZodType<T>, what: string): T[] {
  const rows = readJsonl(file, { objects: false }).map(({ line, value }) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((iss) => `${iss.path.join('.') || '(row)'}: ${iss.message}`).join('; ');
      throw new HarnessError(`invalid ${what} row: ${issues}`, {
        where: `${file}:${line}`,
        fix: 'see tasks/refusal/README.md for the fields and allowed values',
      });
    }
    return parsed.data;
  });
  if (rows.length === 0) {
    throw new HarnessError(`${what} file is empty: ${file}`, { where: file, fix: `add at least one ${what} row` });
  }
  return rows;
}

/** Load and validate a probe suite (defaults to the project's own). Ids must be unique. */
export function loadProbes(file: string = defaultProbesPath): Probe[] {
  const probes = readJsonlWith(file, ProbeSchema, 'probe');
  const seen = new Set<string>();
  const sensitivePairs = new Set(probes.filter((p) => p.kind === 'sensitive').map((p) => p.pair_id));
  for (const p of probes) {
    if (seen.has(p.id)) {
      throw new HarnessError(`duplicate probe id "${p.id}"`, { where: file, fix: 'give every probe a unique id' });
    }
    seen.add(p.id);
    if (p.control_of !== null && !sensitivePairs.has(p.control_of)) {
      throw new HarnessError(`probe "${p.id}" is a control of "${p.control_of}", which is not the pair_id of any sensitive probe`, {
        where: file,
        fix: 'set control_of to the pair_id of the sensitive prompt this control mirrors',
      });
    }
  }
  return probes;
}

/**
 * For each control probe, the topic of the sensitive pair it mirrors (keyed by control probe id).
 * Feed it to the metrics as `mirrors_topic` to get a censorship gap per sensitive topic.
 */
export function mirroredTopics(probes: Probe[]): Map<string, string> {
  const topicOfPair = new Map<string, string>();
  for (const p of probes) if (p.kind === 'sensitive') topicOfPair.set(p.pair_id, p.topic);
  const out = new Map<string, string>();
  for (const p of probes) {
    if (p.kind !== 'control' || p.control_of === null) continue;
    const t = topicOfPair.get(p.control_of);
    if (t !== undefined) out.set(p.id, t);
  }
  return out;
}
